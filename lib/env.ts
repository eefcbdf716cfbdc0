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
    for (const entry of value.split(",").map((part) => part.trim()).filter(Boolean)) {
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

const environmentSchema = z
  .object({
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
  const result = environmentSchema.safeParse(source);
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
