// The SSRF guard at connect time (issue 15, holes 3 and 5): a name that resolves to a private
// address when the connection is made is refused, whatever an earlier look-up said, and nothing
// reaches the private server.
import dns from "node:dns";
import { syncBuiltinESMExports } from "node:module";
import { afterEach, describe, expect, it, vi } from "vitest";
import axios, { AxiosHeaders, type AxiosResponse } from "axios";
import { guardedLookup, PRIVATE_ADDRESS_CODE } from "@/connectors/shared/host-guard";
import { createHttpClient } from "@/connectors/shared/http-client";
import { defaultFetchAttachment } from "@/connectors/teamwork-desk/attachments";
import { listen, sendJson, type RunningSandbox } from "@/connectors/shared/sandbox-kit";
import { createTeamworkDeskSession } from "@/connectors/teamwork-desk/session";
import { createTwentySession } from "@/connectors/twenty/session";
import { ConnectorError, type Attachment } from "@/connectors/types";

const REBINDING_HOST = "rebind.example";
const FAST = { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, rateLimitedBaseDelayMs: 1 }, sleep: async () => {}, timeoutMs: 2_000, rateLimit: null };

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * A resolver under an attacker's control: every name in `names` answers with `address` when a
 * connection is made, while the one-off pre-flight look-up (dns/promises) fails.
 */
function rebind(names: string[], address: string) {
  const realLookup = dns.lookup.bind(dns) as (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => void;
  const lookups: string[] = [];
  vi.spyOn(dns, "lookup").mockImplementation(((hostname: string, options: dns.LookupOptions | LookupCallback, callback?: LookupCallback) => {
    const done = (typeof options === "function" ? options : callback) as LookupCallback;
    const settings = typeof options === "object" ? options : {};
    if (!names.includes(hostname)) return realLookup(hostname, settings, done);
    lookups.push(hostname);
    const family = address.includes(":") ? 6 : 4;
    process.nextTick(() => (settings.all ? done(null, [{ address, family }]) : done(null, address, family)));
  }) as unknown as typeof dns.lookup);
  vi.spyOn(dns.promises, "lookup").mockRejectedValue(Object.assign(new Error(`getaddrinfo ENOTFOUND ${names[0]}`), { code: "ENOTFOUND" }));
  syncBuiltinESMExports();
  return lookups;
}

/** A private server that counts what reaches it and answers like any JSON API. */
async function privateServer() {
  const reached: string[] = [];
  const server = await listen((request, response) => {
    reached.push(request.url ?? "");
    sendJson(response, 200, { data: { workspaceMembers: [] }, totalCount: 0 });
  }, 0);
  running.push(server);
  return { server, reached };
}

async function failureOf(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

const running: RunningSandbox[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  syncBuiltinESMExports();
  await Promise.all(running.splice(0).map((server) => server.close()));
});

describe("SSRF guard at connect time", () => {
  it("refuses a Twenty server whose name resolves to a loopback address when Ferry connects (DNS rebinding)", async () => {
    const { server, reached } = await privateServer();
    const lookups = rebind([REBINDING_HOST], "127.0.0.1");
    const session = createTwentySession({ apiKey: "key-1234", baseUrl: `http://${REBINDING_HOST}:${server.port}` }, { ...FAST, allowPrivateHosts: false });

    const refusal = await failureOf(session.verify());

    expect(refusal.code).toBe("VALIDATION");
    expect(refusal.field).toBe("baseUrl");
    expect(refusal.message).toBe(
      `http://${REBINDING_HOST}:${server.port} points to a private or local network address; Ferry only connects to publicly reachable Twenty servers.`,
    );
    expect(lookups.length).toBeGreaterThan(0);
    expect(reached).toEqual([]);
  });

  it("refuses a Teamwork Desk site whose name resolves to a private address when Ferry connects", async () => {
    const lookups = rebind(["acme.teamwork.com"], "10.0.0.7");
    const session = createTeamworkDeskSession({ site: "acme", apiKey: "key-1234" }, { ...FAST, allowPrivateHosts: false });

    const refusal = await failureOf(session.verify());

    expect(refusal).toMatchObject({ code: "VALIDATION", field: "site" });
    expect(refusal.message).toMatch(/^https:\/\/acme\.teamwork\.com points to a private or local network address/);
    expect(lookups).toContain("acme.teamwork.com");
  });

  it("refuses an IPv6 name answer that reaches IPv4 loopback (::ffff:127.0.0.1)", async () => {
    const { server, reached } = await privateServer();
    rebind([REBINDING_HOST], "::ffff:127.0.0.1");
    const client = createHttpClient({ baseUrl: `http://${REBINDING_HOST}:${server.port}`, headers: () => ({}), ...FAST });

    await expect(client.request({ method: "GET", path: "/" })).rejects.toMatchObject({ code: "VALIDATION" });
    expect(reached).toEqual([]);
  });

  it("refuses a literal private address in every HTTP client unless private hosts are allowed", async () => {
    const { server, reached } = await privateServer();
    const guarded = createHttpClient({ baseUrl: server.url, headers: () => ({}), ...FAST });
    await expect(guarded.request({ method: "GET", path: "/guarded" })).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(/private or local network address/),
    });
    expect(reached).toEqual([]);

    const allowed = createHttpClient({ baseUrl: server.url, headers: () => ({}), ...FAST, hostGuard: { allowPrivateHosts: true } });
    await expect(allowed.request({ method: "GET", path: "/allowed" })).resolves.toMatchObject({ status: 200 });
    expect(reached).toEqual(["/allowed"]);
  });

  it("fails closed when the name cannot be looked up: no request leaves", async () => {
    vi.spyOn(dns, "lookup").mockImplementation(((hostname: string, options: unknown, callback?: LookupCallback) => {
      const done = (typeof options === "function" ? options : callback) as LookupCallback;
      process.nextTick(() => done(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), []));
    }) as unknown as typeof dns.lookup);
    const client = createHttpClient({ baseUrl: `http://${REBINDING_HOST}:9`, headers: () => ({}), ...FAST });
    await expect(client.request({ method: "GET", path: "/" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("guardedLookup", () => {
  const lookup = (hostname: string, options: dns.LookupOptions) =>
    new Promise<{ error: NodeJS.ErrnoException | null; address: string | dns.LookupAddress[]; family?: number }>((resolve) =>
      guardedLookup(hostname, options, (error, address, family) => resolve({ error, address, family })),
    );

  it("passes public answers on in both forms Node asks for (one address, or all of them)", async () => {
    rebind(["public.example"], "93.184.216.34");
    expect(await lookup("public.example", {})).toEqual({ error: null, address: "93.184.216.34", family: 4 });
    expect(await lookup("public.example", { all: true })).toMatchObject({ error: null, address: [{ address: "93.184.216.34", family: 4 }] });
  });

  it("refuses the name when an answer is private, and passes a failed look-up on as a failure", async () => {
    rebind(["inside.example"], "fd00::5");
    expect((await lookup("inside.example", { all: true })).error?.code).toBe(PRIVATE_ADDRESS_CODE);
    vi.restoreAllMocks();
    vi.spyOn(dns, "lookup").mockImplementation(((hostname: string, options: unknown, callback?: LookupCallback) => {
      const done = (typeof options === "function" ? options : callback) as LookupCallback;
      process.nextTick(() => done(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), []));
    }) as unknown as typeof dns.lookup);
    expect((await lookup("missing.example", {})).error?.code).toBe("ENOTFOUND");
  });
});

describe("attachment downloads", () => {
  const attachment = (url: string): Attachment => ({ id: "file-1", url, fileName: "invoice.pdf", contentType: "application/pdf", sizeBytes: 10 });

  /** The first answer comes from a public file server (which a test cannot run): a redirect to `location`. */
  function publicServerRedirectsTo(location: string) {
    const realGet = axios.get.bind(axios);
    const get = vi.spyOn(axios, "get");
    get.mockImplementationOnce(
      async () =>
        ({ status: 302, statusText: "Found", headers: { location }, data: new ArrayBuffer(0), config: { headers: new AxiosHeaders() } }) as AxiosResponse,
    );
    get.mockImplementation(realGet);
    return get;
  }

  it("refuses a file host whose name resolves to a private address when Ferry connects", async () => {
    const { server, reached } = await privateServer();
    rebind(["files.example"], "127.0.0.1");
    const error = await failureOf(defaultFetchAttachment(false)(attachment(`http://files.example:${server.port}/invoice.pdf`)));
    expect(error.code).toBe("VALIDATION");
    expect(error.message).toMatch(/files\.example.* private network address/);
    expect(reached).toEqual([]);
  });

  it("checks every redirect: one to a private name is refused when Ferry connects, nothing reaches it", async () => {
    const { server, reached } = await privateServer();
    rebind(["cdn.example"], "127.0.0.1");
    const get = publicServerRedirectsTo(`http://cdn.example:${server.port}/invoice.pdf`);
    const error = await failureOf(defaultFetchAttachment(false)(attachment("https://files.example/invoice.pdf")));
    expect(error).toMatchObject({ code: "VALIDATION", message: expect.stringMatching(/cdn\.example.* private network address/) });
    expect(get).toHaveBeenCalledTimes(2);
    expect(reached).toEqual([]);
  });

  it("checks every redirect: one to a literal metadata address is refused before any request", async () => {
    const get = publicServerRedirectsTo("http://169.254.169.254/latest/meta-data/");
    const error = await failureOf(defaultFetchAttachment(false)(attachment("https://files.example/invoice.pdf")));
    expect(error).toMatchObject({ code: "VALIDATION", message: expect.stringMatching(/169\.254\.169\.254 is a private network address/) });
    expect(get).toHaveBeenCalledTimes(1);
  });

  it("follows at most 3 redirects", async () => {
    let hops = 0;
    const server = await listen((request, response) => {
      hops += 1;
      response.writeHead(302, { location: `/hop-${hops}` }).end();
    }, 0);
    running.push(server);
    const error = await failureOf(defaultFetchAttachment(true)(attachment(`${server.url}/start`)));
    expect(error.message).toMatch(/more than 3 redirects/);
    expect(hops).toBe(4);
  });
});
