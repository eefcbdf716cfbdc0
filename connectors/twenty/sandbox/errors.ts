// Twenty's REST error bodies (reference §6.2): `{ statusCode, error, messages }`, where `error` is
// the exception class name. Every handler throws a TwentyHttpError; the server renders it once.
import { SandboxHttpError } from "@/connectors/shared/sandbox-kit";

export type TwentyErrorBody = {
  statusCode: number;
  error: string;
  messages: string[];
  /** 2026 builds add the exception code on some errors (reference §6.1, §6.2). */
  code?: string;
};

export class TwentyHttpError extends SandboxHttpError {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === "object" && body !== null && "messages" in body ? String((body as TwentyErrorBody).messages[0]) : `HTTP ${status}`);
  }
}

function twentyError(status: number, error: string, message: string, code?: string): TwentyHttpError {
  const body: TwentyErrorBody = { statusCode: status, error, messages: [message] };
  if (code) body.code = code;
  return new TwentyHttpError(status, body);
}

export function badRequest(message: string, code?: string): TwentyHttpError {
  return twentyError(400, "BadRequestException", message, code);
}

export function notFound(message = "Record not found"): TwentyHttpError {
  return twentyError(404, "NotFoundException", message);
}

export function forbidden(message: string): TwentyHttpError {
  return twentyError(403, "ForbiddenException", message);
}

/** Reference §1: no Authorization header → 403 with this exact body. */
export function missingToken(): TwentyHttpError {
  return twentyError(403, "FORBIDDEN_EXCEPTION", "Missing authentication token");
}

/** Reference §1: a malformed or unknown token → 401 "Token invalid.". */
export function invalidToken(): TwentyHttpError {
  return twentyError(401, "UNAUTHENTICATED", "Token invalid.");
}

/**
 * Reference §6.1: 2026 builds answer 429 with code LIMIT_REACHED [U: inferred]. No Retry-After
 * header has been seen on the real API [U], so none is sent: a client must back off on its own.
 */
export function limitReached(limit: number, windowMs: number): TwentyHttpError {
  return twentyError(429, "TooManyRequestsException", `Limit reached (${limit} tokens per ${windowMs} ms)`, "LIMIT_REACHED");
}

/** The budget a throttled request ran into, for the v2 answers. */
export type ExhaustedBudget = { limit: number; windowMs: number; resetMs: number };

function v2Details(budget: ExhaustedBudget) {
  return {
    limitKind: "speed",
    exhaustedKind: "limit",
    limit: budget.limit,
    remaining: 0,
    periodCount: Math.round(budget.windowMs / 1000),
    periodUnit: "second",
  };
}

/**
 * Reference §6.1, the v2 limiter (flag IS_API_RATE_LIMIT_V2_ENABLED) over REST: 429, the body
 * names the exhausted limit, `Retry-After` in whole seconds and `x-ratelimit-*` headers.
 * x-ratelimit-reset is sent as seconds until the window resets [U: its unit is not confirmed].
 */
export function rateLimitedV2(budget: ExhaustedBudget): TwentyHttpError {
  const retryAfterSeconds = Math.max(1, Math.ceil(budget.resetMs / 1000));
  const body = {
    statusCode: 429,
    error: "RATE_LIMITED",
    messages: [`API rate limit reached (${budget.limit} requests per ${Math.round(budget.windowMs / 1000)} s)`],
    ...v2Details(budget),
    retryAfterSeconds,
  };
  const headers = {
    "retry-after": String(retryAfterSeconds),
    "x-ratelimit-limit": String(budget.limit),
    "x-ratelimit-remaining": "0",
    "x-ratelimit-reset": String(retryAfterSeconds),
  };
  return new TwentyHttpError(429, body, headers);
}

/** Reference §6.1, the v2 limiter over GraphQL: HTTP 200, `errors[0].extensions.code` RATE_LIMITED with retryAfterMs. */
export function rateLimitedV2Graphql(budget: ExhaustedBudget): TwentyHttpError {
  const message = `API rate limit reached (${budget.limit} requests per ${Math.round(budget.windowMs / 1000)} s)`;
  return new TwentyHttpError(200, {
    data: null,
    errors: [{ message, extensions: { code: "RATE_LIMITED", ...v2Details(budget), retryAfterMs: Math.max(1, Math.ceil(budget.resetMs)) } }],
  });
}

export function internalServerError(): TwentyHttpError {
  return twentyError(500, "InternalServerErrorException", "Internal server error");
}

/** Reference §6.3: unique-index clash on create, update or batch (the confirmed wording). */
export function duplicateEntry(): TwentyHttpError {
  return badRequest("A duplicate entry was detected");
}

/**
 * Routes outside Twenty's controllers get NestJS's default 404 body, not the REST filter's
 * [U: NestJS default, not checked against a live instance].
 */
export function routeNotFound(method: string, path: string): TwentyHttpError {
  return new TwentyHttpError(404, { message: `Cannot ${method} ${path}`, error: "Not Found", statusCode: 404 });
}
