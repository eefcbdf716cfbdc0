// A counting HTTP proxy on 127.0.0.1 between the CLI and a sandbox: it forwards every request
// unchanged and notes method, path, status, records sent and timing, so the rate-limit benchmark
// can say where the requests went (writes, look-ups, reads, 429s) without touching either side.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type LoggedRequest = { atMs: number; method: string; path: string; status: number; records: number; durationMs: number };

export type RequestLogProxy = { url: string; log: LoggedRequest[]; close(): Promise<void> };

/** Records in a JSON body: an array's length (or its `tickets`' for Teamwork Desk's import), else 1 for a write with a body, 0 otherwise. */
function recordsIn(method: string, body: Buffer): number {
  if (method === "GET" || method === "HEAD" || body.length === 0) return 0;
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    if (Array.isArray(value)) return value.length;
    const tickets = (value as { tickets?: unknown } | null)?.tickets;
    return Array.isArray(tickets) ? tickets.length : 1;
  } catch {
    return 0;
  }
}

export async function startRequestLogProxy(targetUrl: string): Promise<RequestLogProxy> {
  const target = new URL(targetUrl);
  const log: LoggedRequest[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      const startedAt = Date.now();
      const upstream = http.request(
        { host: "127.0.0.1", port: target.port, method: request.method, path: request.url, headers: { ...request.headers, host: target.host }, agent },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
          answer.on("end", () =>
            log.push({
              atMs: startedAt,
              method: request.method ?? "GET",
              path: (request.url ?? "").split("?")[0],
              status: answer.statusCode ?? 0,
              records: recordsIn(request.method ?? "GET", body),
              durationMs: Date.now() - startedAt,
            }),
          );
        },
      );
      upstream.on("error", () => {
        if (!response.headersSent) response.writeHead(502);
        response.end();
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}
