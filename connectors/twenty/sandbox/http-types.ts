/** A parsed, authenticated request as the API handlers see it. */
export type ApiRequest = {
  method: string;
  /** The URL path as received, for error messages. */
  path: string;
  /** Path segments after `/rest` (or after `/` for non-REST routes). */
  segments: string[];
  params: URLSearchParams;
  body: unknown;
};

export type ApiResponse = { status: number; body: unknown; headers?: Record<string, string> };

export function ok(body: unknown, status = 200): ApiResponse {
  return { status, body };
}

export function capitalize(name: string): string {
  return name.length === 0 ? name : name[0].toUpperCase() + name.slice(1);
}
