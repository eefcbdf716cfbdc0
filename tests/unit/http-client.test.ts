import type http from "node:http";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createHttpClient, MAX_ERROR_DETAIL_CHARS, type HttpClientOptions } from "@/connectors/shared/http-client";
import { listen, readJsonBody, sendJson, type RunningSandbox } from "@/connectors/shared/sandbox-kit";
import { ConnectorError } from "@/connectors/types";

const API_KEY = "sk_live_very_secret_key_123";

type Reply = (request: http.IncomingMessage, response: http.ServerResponse, body: unknown) => void;

/** A real HTTP server on port 0 that answers each request with the next scripted reply (the last one repeats). */
async function startServer(replies: Reply[]) {
  const seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: unknown }[] = [];
  const server = await listen(async (request, response) => {
    const parsed = await readJsonBody(request);
    const body = parsed.ok ? parsed.value : undefined;
    seen.push({ method: request.method ?? "", url: request.url ?? "", headers: request.headers, body });
    const reply = replies[Math.min(seen.length - 1, replies.length - 1)];
    reply(request, response, body);
  }, 0);
  running.push(server);
  return { server, seen };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (_request, response) =>
    sendJson(response, status, body, headers);
const hang: Reply = () => undefined;

/** A clock that moves only when the client sleeps, so no test waits for a backoff. */
function fakeClock() {
  let nowMs = Date.parse("2026-11-01T12:00:00Z");
  const slept: number[] = [];
  return {
    slept,
    now: () => nowMs,
    sleep: async (ms: number) => {
      slept.push(ms);
      await Promise.resolve();
      nowMs += ms;
    },
  };
}

function clientFor(server: RunningSandbox, overrides: Partial<HttpClientOptions> = {}) {
  const clock = fakeClock();
  const retries: { attempt: number; delayMs: number; reason: string }[] = [];
  const client = createHttpClient({
    baseUrl: `${server.url}/api/v2`,
    headers: () => ({ Authorization: `Bearer ${API_KEY}` }),
    rateLimit: null,
    random: () => 0,
    now: clock.now,
    sleep: clock.sleep,
    onRetry: (info) => retries.push(info),
    hostGuard: { allowPrivateHosts: true },
    ...overrides,
  });
  return { client, clock, retries };
}

async function failureOf(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
  throw new Error("expected the request to fail");
}

const running: RunningSandbox[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

describe("createHttpClient", () => {
  it("echoes at most a short, sanitised excerpt of an error body", async () => {
    const detail = `${"internal ".repeat(5)}\n\u001b[31mcolour\u202Ereversed\u0000${"x".repeat(2_000)}`;
    const { server } = await startServer([json(400, { message: detail })]);
    const { client } = clientFor(server);
    const error = await failureOf(client.request({ method: "GET", path: "/thing" }));
    const echoed = error.message.replace("GET /thing failed with HTTP 400: ", "");
    expect(echoed.length).toBeLessThanOrEqual(MAX_ERROR_DETAIL_CHARS + 1);
    expect(echoed).toMatch(/^internal internal internal internal internal \[31mcolour reversed x+…$/);
    expect(echoed).not.toMatch(/[\p{Cc}\p{Cf}]/u);
    expect(MAX_ERROR_DETAIL_CHARS).toBeLessThanOrEqual(160);
  });

  it("sends auth headers, query and JSON body to the path under the base URL", async () => {
    const { server, seen } = await startServer([json(201, { id: 7 })]);
    const { client } = clientFor(server);
    const response = await client.request({
      method: "POST",
      path: "/tickets.json",
      query: { page: 2, archived: false, skip: undefined },
      body: { subject: "Hello" },
      headers: { "X-Trace": "abc" },
    });
    expect(response).toMatchObject({ status: 201, data: { id: 7 } });
    expect(response.headers["content-type"]).toMatch(/json/);
    expect(seen[0]).toMatchObject({ method: "POST", url: "/api/v2/tickets.json?page=2&archived=false", body: { subject: "Hello" } });
    expect(seen[0].headers).toMatchObject({ authorization: `Bearer ${API_KEY}`, "x-trace": "abc", "content-type": "application/json" });
  });

  it("retries a 503 twice with backoff and then returns the 200", async () => {
    const { server, seen } = await startServer([json(503, { message: "down" }), json(503, { message: "down" }), json(200, { ok: true })]);
    const { client, clock, retries } = clientFor(server);
    const response = await client.request({ method: "GET", path: "/ping" });
    expect(response.data).toEqual({ ok: true });
    expect(seen).toHaveLength(3);
    expect(clock.slept).toEqual([250, 500]);
    expect(retries).toEqual([
      { attempt: 1, delayMs: 250, reason: "HTTP 503" },
      { attempt: 2, delayMs: 500, reason: "HTTP 503" },
    ]);
    expect(client.stats).toEqual({ requests: 3, retries: 2, rateLimited: 0, waitedMs: 750 });
  });

  it("waits out a 429's Retry-After before trying again", async () => {
    const { server, seen } = await startServer([json(429, { message: "slow down" }, { "Retry-After": "2" }), json(200, { ok: true })]);
    const { client, clock } = clientFor(server);
    await client.request({ method: "GET", path: "/ping" });
    expect(seen).toHaveLength(2);
    expect(clock.slept).toEqual([2_000]);
    expect(client.stats).toMatchObject({ requests: 2, retries: 1, rateLimited: 1, waitedMs: 2_000 });
  });

  it("waits for Teamwork Desk's X-Rate-Limit-Reset on a 429 without Retry-After (teamwork-desk-api §3)", async () => {
    const { server } = await startServer([
      json(429, { errors: [{ detail: "rate limit exceeded" }] }, { "X-Rate-Limit-Limit": "120", "X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Reset": "37" }),
      json(200, { ok: true }),
    ]);
    const { client, clock } = clientFor(server);
    await client.request({ method: "GET", path: "/tickets.json" });
    expect(clock.slept).toEqual([37_000]);
  });

  it("treats Twenty's 400 'Limit reached' as a rate limit when toError says so (twenty-api §6.1)", async () => {
    const { server, seen } = await startServer([
      json(400, { statusCode: 400, error: "BadRequestException", messages: ["Limit reached (100 tokens per 60000 ms)"] }),
      json(200, { data: { people: [] } }),
    ]);
    const { client, clock } = clientFor(server, {
      toError: (status, body) => {
        const messages = (body as { messages?: string[] }).messages ?? [];
        if (messages.some((message) => message.startsWith("Limit reached"))) return new ConnectorError("RATE_LIMITED", messages[0], { status });
        return undefined;
      },
    });
    await client.request({ method: "GET", path: "/rest/people" });
    expect(seen).toHaveLength(2);
    expect(clock.slept).toEqual([1_000]);
    expect(client.stats.rateLimited).toBe(1);
  });

  it("retries an error carried by a 200 answer (GraphQL RATE_LIMITED) after the wait its body asks for", async () => {
    const { server, seen } = await startServer([
      json(200, { errors: [{ message: "Too many requests", extensions: { code: "RATE_LIMITED", retryAfterMs: 1_500 } }] }),
      json(200, { data: { ok: true } }),
    ]);
    const { client, clock } = clientFor(server, {
      errorInSuccess: (body) => {
        const code = (body as { errors?: { extensions?: { code?: string; retryAfterMs?: number } }[] }).errors?.[0]?.extensions;
        return code?.code === "RATE_LIMITED" ? new ConnectorError("RATE_LIMITED", "Too many requests", { retryAfterMs: code.retryAfterMs }) : undefined;
      },
    });
    const response = await client.request({ method: "POST", path: "/graphql", body: { query: "{ a }" } });
    expect(response.data).toEqual({ data: { ok: true } });
    expect(seen).toHaveLength(2);
    expect(clock.slept).toEqual([1_500]);
    expect(client.stats.rateLimited).toBe(1);
  });

  it("reports a transport failure it does not retry (a TLS handshake refused) as TEMPORARY, an outage to wait out", async () => {
    const { server, seen } = await startServer([json(200, { ok: true })]);
    const { client } = clientFor(server, { baseUrl: server.url.replace("http://", "https://") });
    const error = await failureOf(client.request({ method: "GET", path: "/people" }));
    expect(error.code).toBe("TEMPORARY");
    expect(error.message).toMatch(/^GET \/people failed: network error [A-Z_]+$/);
    expect(seen).toHaveLength(0);
  });

  it("gives up on a request that hangs past timeoutMs and tries again", async () => {
    const { server, seen } = await startServer([hang, json(200, { ok: true })]);
    const { client, retries } = clientFor(server, { timeoutMs: 100 });
    const response = await client.request({ method: "GET", path: "/slow" });
    expect(response.data).toEqual({ ok: true });
    expect(seen).toHaveLength(2);
    expect(retries[0]).toMatchObject({ attempt: 1, reason: "timeout" });
  });

  it("reports a request that always hangs as TEMPORARY once the attempts run out", async () => {
    const { server, seen } = await startServer([hang]);
    const { client } = clientFor(server, { timeoutMs: 50, retry: { maxAttempts: 2 } });
    const error = await failureOf(client.request({ method: "GET", path: "/slow" }));
    expect(error.code).toBe("TEMPORARY");
    expect(error.message).toBe("GET /slow timed out after 50 ms");
    expect(seen).toHaveLength(2);
  });

  it("turns a 401 into AUTH_INVALID at once, without retries and without the key anywhere", async () => {
    const { server, seen } = await startServer([json(401, { message: `Token invalid: Bearer ${API_KEY}` })]);
    const logged: string[] = [];
    const { client } = clientFor(server, { onRetry: (info) => logged.push(JSON.stringify(info)) });
    const error = await failureOf(client.request({ method: "GET", path: "/me.json", query: { key: API_KEY } }));
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error.code).toBe("AUTH_INVALID");
    expect(error.status).toBe(401);
    expect(seen).toHaveLength(1);
    expect(client.stats.retries).toBe(0);
    expect(error.message).toBe("GET /me.json failed with HTTP 401: Token invalid: [redacted]");
    for (const text of [error.message, JSON.stringify(error), inspect(error, { depth: 10 }), ...logged]) expect(text).not.toContain(API_KEY);
  });

  it("scrubs a Basic-auth key (Teamwork Desk v1) from messages even when the body echoes it", async () => {
    const { server } = await startServer([json(403, { errors: [{ detail: `key ${API_KEY} may not import tickets` }] })]);
    const basic = `Basic ${Buffer.from(`${API_KEY}:x`).toString("base64")}`;
    const { client } = clientFor(server, { headers: () => ({ Authorization: basic }) });
    const error = await failureOf(client.request({ method: "POST", path: "/import/tickets.json", body: {} }));
    expect(error).toMatchObject({
      code: "PERMISSION_DENIED",
      message: "POST /import/tickets.json failed with HTTP 403: key [redacted] may not import tickets",
    });
  });

  it.each([
    { status: 400, code: "VALIDATION" },
    { status: 403, code: "PERMISSION_DENIED" },
    { status: 404, code: "NOT_FOUND" },
    { status: 409, code: "CONFLICT" },
    { status: 422, code: "VALIDATION" },
    { status: 418, code: "UNKNOWN" },
  ] as const)("maps HTTP $status to $code without retrying", async ({ status, code }) => {
    const { server, seen } = await startServer([json(status, { errors: [{ detail: "must be set", source: "customer" }] })]);
    const { client } = clientFor(server);
    const error = await failureOf(client.request({ method: "POST", path: "/tickets.json", body: {} }));
    expect(error).toMatchObject({ code, status, message: `POST /tickets.json failed with HTTP ${status}: customer: must be set` });
    expect(seen).toHaveLength(1);
  });

  it("ends a 5xx that persists as TEMPORARY and a 429 that persists as RATE_LIMITED", async () => {
    const { server } = await startServer([json(500, { message: "boom" })]);
    const { client } = clientFor(server, { retry: { maxAttempts: 3 } });
    expect(await failureOf(client.request({ method: "GET", path: "/x" }))).toMatchObject({ code: "TEMPORARY", status: 500 });
    expect(client.stats.requests).toBe(3);

    const limited = await startServer([json(429, {}, { "Retry-After": "1" })]);
    const { client: second } = clientFor(limited.server, { retry: { maxAttempts: 2 } });
    expect(await failureOf(second.request({ method: "GET", path: "/x" }))).toMatchObject({ code: "RATE_LIMITED", status: 429, retryAfterMs: 1_000 });
  });

  it("hands back a 429 whose Retry-After exceeds maxDelayMs with retryAfterMs for the engine to reschedule", async () => {
    const { server, seen } = await startServer([json(429, {}, { "Retry-After": "600" })]);
    const { client } = clientFor(server);
    const error = await failureOf(client.request({ method: "GET", path: "/x" }));
    expect(error).toMatchObject({ code: "RATE_LIMITED", retryAfterMs: 600_000 });
    expect(seen).toHaveLength(1);
  });

  it("does not retry a request marked retry: false", async () => {
    const { server, seen } = await startServer([json(503, {})]);
    const { client } = clientFor(server);
    const error = await failureOf(client.request({ method: "POST", path: "/tickets.json", body: {}, retry: false }));
    expect(error.code).toBe("TEMPORARY");
    expect(seen).toHaveLength(1);
  });

  it("validates the body with the schema and reports a mismatch as UNKNOWN", async () => {
    const { server } = await startServer([json(200, { ticket: { id: 5 } }), json(200, { ticket: { id: "five" } })]);
    const { client } = clientFor(server);
    const schema = z.object({ ticket: z.object({ id: z.number() }) });
    const ok = await client.request({ method: "GET", path: "/tickets/5.json", schema });
    expect(ok.data.ticket.id).toBe(5);
    const error = await failureOf(client.request({ method: "GET", path: "/tickets/5.json", schema }));
    expect(error.code).toBe("UNKNOWN");
    expect(error.message).toMatch(/^Unexpected response from \/tickets\/5\.json: ticket\.id: /);
    expect(client.stats.retries).toBe(0);
  });

  it("lets the connector's toError choose code and message", async () => {
    const { server } = await startServer([json(400, { statusCode: 400, messages: ["A duplicate entry was detected"] })]);
    const { client } = clientFor(server, {
      toError: (status, body) => new ConnectorError("CONFLICT", (body as { messages: string[] }).messages[0], { status }),
    });
    expect(await failureOf(client.request({ method: "POST", path: "/rest/people", body: {} }))).toMatchObject({
      code: "CONFLICT",
      message: "A duplicate entry was detected",
    });
  });

  it("answers a redirect with an error instead of carrying the key to another host", async () => {
    const { server, seen } = await startServer([
      (_request, response) => {
        response.writeHead(302, { Location: "http://169.254.169.254/latest" });
        response.end();
      },
    ]);
    const { client } = clientFor(server);
    const error = await failureOf(client.request({ method: "GET", path: "/x" }));
    expect(error.code).toBe("UNKNOWN");
    expect(error.message).toMatch(/redirected \(HTTP 302\).*check the base URL/);
    expect(seen).toHaveLength(1);
  });

  it("reports a refused connection as TEMPORARY after retrying", async () => {
    const { server } = await startServer([json(200, {})]);
    await server.close();
    const { client, retries } = clientFor(server, { retry: { maxAttempts: 2 } });
    const error = await failureOf(client.request({ method: "GET", path: "/x" }));
    expect(error.code).toBe("TEMPORARY");
    expect(error.message).toMatch(/^Ferry cannot reach http:\/\/127\.0\.0\.1:\d+: the connection was refused \(GET \/x\)\. Check the address\.$/);
    expect(retries).toHaveLength(1);
  });

  it("fails at once on a refused connection when the request asks not to retry an unreachable address", async () => {
    const { server } = await startServer([json(200, {})]);
    await server.close();
    const { client, retries } = clientFor(server, { retry: { maxAttempts: 6 } });
    const error = await failureOf(client.request({ method: "GET", path: "/x", retryUnreachable: false }));
    expect(error.message).toMatch(/^Ferry cannot reach .*the connection was refused/);
    expect(retries).toHaveLength(0);
  });

  it("sends every request through the connection's rate limiter", async () => {
    const { server, seen } = await startServer([json(200, {})]);
    const { client, clock } = clientFor(server, { rateLimit: { requests: 2, perMs: 1_000 } });
    await Promise.all([0, 1, 2, 3, 4].map(() => client.request({ method: "GET", path: "/x" })));
    expect(seen).toHaveLength(5);
    // 2 per window of 1,000 ms plus the 20 ms safety margin: five requests span two more windows.
    expect(clock.slept).toEqual([1_020, 1_020]);
    expect(client.stats.waitedMs).toBeGreaterThanOrEqual(2_040);
  });

  it("holds back after a response that spent the window, before earning a 429", async () => {
    const { server } = await startServer([json(200, {}, { "X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Reset": "5" }), json(200, {})]);
    const { client, clock } = clientFor(server);
    await client.request({ method: "GET", path: "/x" });
    await client.request({ method: "GET", path: "/x" });
    expect(clock.slept).toEqual([5_000]);
  });
});
