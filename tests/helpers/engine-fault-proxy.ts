// A fault-injecting HTTP proxy for engine tests: a share of requests is answered 503 before
// reaching the sandbox, 500 after the sandbox applied it (the answer is lost on the way back),
// 429, or left hanging past the client's timeout. Deterministic for a given seed.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { seededRandom } from "@/connectors/shared/sandbox-kit";

export type FaultKind = "error_before" | "error_after" | "rate_limited" | "hang";
const KINDS: FaultKind[] = ["error_before", "error_after", "rate_limited", "hang"];

export type FaultProxy = { url: string; counts: Record<FaultKind | "forwarded", number>; close(): Promise<void> };

/** Chooses the fault for one request by what it is (method and path), instead of by chance. */
export type FaultRule = (request: { method: string; path: string }) => FaultKind | null;

export async function startFaultProxy(targetUrl: string, options: { share: number; seed?: number; rule?: FaultRule }): Promise<FaultProxy> {
  const random = seededRandom(options.seed ?? 7);
  const target = new URL(targetUrl);
  const counts: FaultProxy["counts"] = { error_before: 0, error_after: 0, rate_limited: 0, hang: 0, forwarded: 0 };
  const server = http.createServer(async (request, response) => {
    const roll = random();
    const fault: FaultKind | null = options.rule
      ? options.rule({ method: request.method ?? "GET", path: new URL(request.url ?? "/", "http://proxy.local").pathname })
      : roll < options.share
        ? KINDS[Math.floor((roll / options.share) * KINDS.length)]
        : null;
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (fault) counts[fault] += 1;
    if (fault === "hang") return;
    if (fault === "error_before") {
      response
        .writeHead(503, { "content-type": "application/json" })
        .end(JSON.stringify({ statusCode: 503, error: "Service Unavailable", messages: ["Injected fault"] }));
      return;
    }
    if (fault === "rate_limited") {
      response
        .writeHead(429, { "content-type": "application/json" })
        .end(JSON.stringify({ statusCode: 429, error: "Too Many Requests", messages: ["Limit reached (injected)"] }));
      return;
    }
    counts.forwarded += 1;
    const upstream = http.request(
      { hostname: target.hostname, port: target.port, path: request.url, method: request.method, headers: { ...request.headers, host: target.host } },
      (answer) => {
        const body: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => body.push(chunk));
        answer.on("end", () => {
          if (fault === "error_after") {
            response
              .writeHead(500, { "content-type": "application/json" })
              .end(JSON.stringify({ statusCode: 500, error: "Internal Server Error", messages: ["Injected fault after the write"] }));
            return;
          }
          response.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(body));
        });
      },
    );
    upstream.on("error", () => response.writeHead(502).end());
    upstream.end(Buffer.concat(chunks));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
