// The environment, parsed once with zod. Defaults make the embedded, single-machine setup work
// with no configuration; scripts/prepare-local.ts writes the generated secrets to .env.local.
import { z } from "zod";
import { DATABASE_URL_PATTERN } from "./database-url";

const booleanFlag = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((value) => value === "1" || value === "true" || value === "yes");

/** "1:<base64 32 bytes>,2:<base64 32 bytes>": every version decrypts, the highest encrypts. */
export const encryptionKeysSchema = z
  .string({ error: "is required (run `npm run dev` once to generate one for local use)" })
  .min(1, "is required (run `npm run dev` once to generate one for local use)")
  .transform((value, context) => {
    const keys = new Map<number, Buffer>();
    for (const entry of value
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean)) {
      const match = /^(\d+):(.+)$/.exec(entry);
      if (!match) {
        context.addIssue({ code: "custom", message: `entry "${entry.slice(0, 4)}…" must look like VERSION:BASE64KEY` });
        return z.NEVER;
      }
      const key = Buffer.from(match[2], "base64");
      if (key.length !== 32) {
        context.addIssue({ code: "custom", message: `key version ${match[1]} must be 32 bytes of base64 (got ${key.length})` });
        return z.NEVER;
      }
      keys.set(Number(match[1]), key);
    }
    if (keys.size === 0) {
      context.addIssue({ code: "custom", message: "holds no key" });
      return z.NEVER;
    }
    return keys;
  });

/**
 * Mail and notifications. Without SMTP_URL mails go to the outbox page (local use and the demo).
 * Parsed on its own too (mailEnvironment): the run-notification hook runs in every process that
 * drives runs, including tests and the CLI, and must not depend on the auth secrets.
 */
const mailEnvironmentShape = {
  /** smtp://user:pass@host:587 or smtps://user:pass@host:465 (nodemailer's connection URL). */
  SMTP_URL: z
    .string()
    .optional()
    .transform((value) => value || undefined)
    .refine((value) => !value || /^smtps?:\/\/[^/\s]+/.test(value), "must look like smtp://user:password@host:587 or smtps://…"),
  /** The From of every mail: an address, or "Name <address>". */
  MAIL_FROM: z
    .string()
    .optional()
    .transform((value) => value || "Ferry <ferry@localhost>")
    .refine((value) => /^([^<>]*<)?[^\s@<>]+@[^\s@<>]+>?$/.test(value.trim()), 'must be an address such as ferry@example.com or "Ferry <ferry@example.com>"'),
  /** A running run whose processed count has not moved for this long is reported as stalled. */
  RUN_STALL_MINUTES: z.coerce
    .number({ error: "must be a number of minutes" })
    .int("must be a whole number of minutes")
    .min(1, "must be at least 1")
    .default(15),
} as const;

const mailEnvironmentSchema = z.object({
  ...mailEnvironmentShape,
  NEXTAUTH_URL: z.url("must be a full URL such as http://localhost:3000").default("http://localhost:3000"),
});

export type MailEnvironment = z.infer<typeof mailEnvironmentSchema>;

/** The mail settings alone (see mailEnvironmentShape); throws EnvironmentError when they are not valid. */
/** Without NEXTAUTH_URL, Ferry's own links (mails, messages) name the port it serves on (PORT), not always 3000. */
function withLocalUrl(source: Record<string, string | undefined>): Record<string, string | undefined> {
  return source.NEXTAUTH_URL ? source : { ...source, NEXTAUTH_URL: `http://localhost:${source.PORT || 3000}` };
}

export function mailEnvironment(source: Record<string, string | undefined> = process.env): MailEnvironment {
  const result = mailEnvironmentSchema.safeParse(withLocalUrl(source));
  if (result.success) return result.data;
  throw new EnvironmentError(result.error.issues.map((issue) => `${issue.path.join(".") || "environment"} ${issue.message}`));
}

const environmentSchema = z
  .object({
    ...mailEnvironmentShape,
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z
      .string({ error: "is required: a postgres:// URL (npm run dev, npm start and npm run demo start an embedded PostgreSQL and set it)" })
      .trim()
      .regex(DATABASE_URL_PATTERN, "must start with postgres:// or postgresql://"),
    NEXTAUTH_SECRET: z.string({ error: "is required (run `npm run dev` once to generate one for local use)" }).min(32, "must be at least 32 characters"),
    NEXTAUTH_URL: z.url("must be a full URL such as http://localhost:3000").default("http://localhost:3000"),
    ENCRYPTION_KEYS: encryptionKeysSchema,
    JOB_RUNNER: z.enum(["embedded", "inngest"]).optional(),
    INNGEST_EVENT_KEY: z.string().optional(),
    INNGEST_SIGNING_KEY: z.string().optional(),
    INNGEST_DEV: booleanFlag,
    /** Lets connections point at loopback and private addresses (the local sandboxes). */
    ALLOW_PRIVATE_CONNECTION_URLS: booleanFlag,
    /**
     * Sandboxes only: the window of every connector's published rate limit, in ms, for sandboxes
     * started with a shrunken window (the browser tests). Unset: each system's published window.
     */
    CLIENT_RATE_WINDOW_MS: z.coerce.number({ error: "must be a number of milliseconds" }).int().positive().optional(),
    /** Reverse proxies in front of Ferry whose X-Forwarded-For entries are believed (0: the connection's address counts). */
    TRUSTED_PROXY_COUNT: z.coerce
      .number({ error: "must be a whole number of proxies (0 when clients connect to Ferry directly)" })
      .int("must be a whole number of proxies (0 when clients connect to Ferry directly)")
      .min(0, "must be 0 or more")
      .max(10, "must be at most 10")
      .default(0),
    /** Sign-ups allowed per client address per hour (each costs a bcrypt hash). */
    SIGN_UP_LIMIT_PER_HOUR: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").default(10),
  })
  .transform((environment) => ({
    ...environment,
    database: { url: environment.DATABASE_URL },
    // Embedded unless Inngest is configured (keys present) or explicitly chosen.
    jobRunner: environment.JOB_RUNNER ?? (environment.INNGEST_SIGNING_KEY || environment.INNGEST_DEV ? "inngest" : "embedded"),
  }));

export type Environment = z.infer<typeof environmentSchema>;

export class EnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Ferry cannot start, the environment is not valid:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "EnvironmentError";
  }
}

export function parseEnvironment(source: Record<string, string | undefined>): Environment {
  const result = environmentSchema.safeParse(withLocalUrl(source));
  if (result.success) return result.data;
  throw new EnvironmentError(result.error.issues.map((issue) => `${issue.path.join(".") || "environment"} ${issue.message}`));
}

let cached: Environment | undefined;

export function env(): Environment {
  cached ??= parseEnvironment(process.env);
  return cached;
}

/** Forgets the parsed environment so the next env() reads process.env again (tests change it). */
export function reloadEnvironment(): void {
  cached = undefined;
}
