// Teamwork Desk error bodies (reference §4). The real shape is only partly confirmed: Skyvia
// quotes `detail` + `source`, the official MCP tests mock `{"errors":[{"detail":…}]}`, a
// community client reads `id`, `title`, `code`, `detail`. The sandbox sends the reference's
// recommended union, `{"errors":[{"code","title","detail","source"}]}`, so a client written
// against any of those sources finds the field it reads. Every handler throws a DeskHttpError;
// the server renders it once.
import { SandboxHttpError } from "@/connectors/shared/sandbox-kit";

export type DeskErrorItem = { code: string; title: string; detail: string; source?: string };
export type DeskErrorBody = { errors: DeskErrorItem[] };

export class DeskHttpError extends SandboxHttpError {
  constructor(
    readonly status: number,
    readonly errors: DeskErrorItem[],
    readonly headers: Record<string, string> = {},
  ) {
    super(errors[0]?.detail ?? `HTTP ${status}`);
  }

  get body(): DeskErrorBody {
    return { errors: this.errors };
  }
}

function item(code: string, title: string, detail: string, source?: string): DeskErrorItem {
  return source === undefined ? { code, title, detail } : { code, title, detail, source };
}

/** Reference §1/§4: a missing or unknown API key is a 401 (Teamwork-wide [C]). */
export function unauthorized(detail: string): DeskHttpError {
  return new DeskHttpError(401, [item("unauthorized", "Unauthorized", detail)]);
}

/** Reference §4: 403 = the key's user lacks the permission (e.g. inbox access, admin-only settings). */
export function forbidden(detail: string): DeskHttpError {
  return new DeskHttpError(403, [item("forbidden", "Forbidden", detail)]);
}

/** Reference §4: 404 = unknown id or path. */
export function notFound(detail: string): DeskHttpError {
  return new DeskHttpError(404, [item("not_found", "Not Found", detail)]);
}

/** Reference §4: validation errors ("Validator") and bad query params are 400 [C]. */
export function validation(detail: string, source?: string): DeskHttpError {
  return new DeskHttpError(400, [item("validation", "Validation failed", detail, source)]);
}

/** Several validation problems at once (v1 import validates the whole batch before writing). */
export function validationErrors(problems: { detail: string; source?: string }[]): DeskHttpError {
  return new DeskHttpError(
    400,
    problems.map((problem) => item("validation", "Validation failed", problem.detail, problem.source)),
  );
}

/** Reference §5.1 [S]: a ticket without customer → `{"detail":"must be set","source":"customer"}` (400 [U]). */
export function mustBeSet(source: string): DeskHttpError {
  return validation("must be set", source);
}

/** Reference §4: 409 for a duplicate is [U] (not documented for Desk); used for unique emails. */
export function conflict(detail: string, source?: string): DeskHttpError {
  return new DeskHttpError(409, [item("conflict", "Conflict", detail, source)]);
}

/** Reference §4: an unreadable JSON body is a 422 in Teamwork-wide docs [U for Desk]. */
export function unreadableJson(): DeskHttpError {
  return new DeskHttpError(422, [item("unprocessable_entity", "Unprocessable Entity", "The request body is not valid JSON")]);
}

/**
 * Reference §3: over the limit → 429 until the window ends. Retry-After is [U] (not documented),
 * so none is sent: a client must fall back to X-Rate-Limit-Reset or a 60 s wait.
 */
export function rateLimited(headers: Record<string, string>): DeskHttpError {
  return new DeskHttpError(429, [item("too_many_requests", "Too Many Requests", "Rate limit exceeded, retry after the window resets")], headers);
}

export function internalServerError(): DeskHttpError {
  return new DeskHttpError(500, [item("internal_server_error", "Internal Server Error", "An unexpected error occurred")]);
}
