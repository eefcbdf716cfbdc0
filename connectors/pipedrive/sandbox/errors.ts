// Pipedrive's error envelope (reference §2.2): `{ success: false, error, error_info, data: null,
// additional_data: null }`. Every handler throws a PipedriveHttpError; the server renders it once.
import { SandboxHttpError } from "@/connectors/shared/sandbox-kit";

export const ERROR_INFO = "Please check developers.pipedrive.com for more information about Pipedrive API.";

export class PipedriveHttpError extends SandboxHttpError {
  readonly body: Record<string, unknown>;

  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.body = { success: false, error: message, error_info: ERROR_INFO, data: null, additional_data: null, ...extra };
  }
}

export const badRequest = (message: string) => new PipedriveHttpError(400, message);
export const notFound = (message = "Item not found") => new PipedriveHttpError(404, message);
export const routeNotFound = (method: string, path: string) => new PipedriveHttpError(404, `Unknown method ${method} ${path}`);
/** §1.2, §2.2: the generated 401 model adds `errorCode`. */
export const unauthorized = () => new PipedriveHttpError(401, "You need to be authorized to make this request.", {}, { errorCode: 401 });
export const internalServerError = () => new PipedriveHttpError(500, "Internal server error");

/** §4.3: a 429 with the window's headers and Retry-After in seconds. */
export function overLimit(headers: Record<string, string>, retryAfterSeconds: number): PipedriveHttpError {
  return new PipedriveHttpError(429, "Request over limit", { ...headers, "retry-after": String(retryAfterSeconds) }, { errorCode: 429 });
}
