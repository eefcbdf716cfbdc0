import type { SandboxRequest, SandboxResponse } from "@/connectors/shared/sandbox-kit";

export { ok } from "@/connectors/shared/sandbox-kit";

/** A parsed, authenticated request; its segments are those after `/desk/api/v2` or `/desk/v1`, with `.json` removed from the last one. */
export type ApiRequest = SandboxRequest & {
  /** Parsed multipart/form-data body, when that was the content type (then `body` is undefined). */
  form: FormData | null;
  /** `http://host:port` as the client addressed the sandbox (for URLs handed back, e.g. the fake S3). */
  baseUrl: string;
};

export type ApiResponse = SandboxResponse;

export function noContent(): ApiResponse {
  return { status: 204 };
}
