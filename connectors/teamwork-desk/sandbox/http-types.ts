/** A parsed, authenticated request as the resource handlers see it. */
export type ApiRequest = {
  method: string;
  /** The URL path as received, for error messages. */
  path: string;
  /** Path segments after `/desk/api/v2` or `/desk/v1`, with `.json` removed from the last one. */
  segments: string[];
  params: URLSearchParams;
  /** Parsed JSON body; undefined when the body was empty or multipart. */
  body: unknown;
  /** Parsed multipart/form-data body, when that was the content type. */
  form: FormData | null;
  /** `http://host:port` as the client addressed the sandbox (for URLs handed back, e.g. the fake S3). */
  baseUrl: string;
};

export type ApiResponse = {
  status: number;
  /** JSON body; omitted for 204 and raw responses. */
  body?: unknown;
  headers?: Record<string, string>;
  /** A non-JSON body (file download, S3's XML). */
  raw?: { contentType: string; data: Uint8Array | string };
};

export function ok(body: unknown, status = 200): ApiResponse {
  return { status, body };
}

export function noContent(): ApiResponse {
  return { status: 204 };
}
