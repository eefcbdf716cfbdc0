import { describe, expect, it } from "vitest";
import { MAX_ERROR_DETAIL_CHARS } from "@/connectors/shared/http-client";
import { ConnectorError } from "@/connectors/types";
import { limiterForBudget } from "@/connectors/shared/rate-limiter";
import { batchCapOf } from "@/connectors/twenty/batch-limit";
import { twentyBudgetOf, twentyError, twentyGraphqlError, twentyWorkspaceOf } from "@/connectors/twenty/client";
import { decodeCursor, encodeCursor } from "@/connectors/twenty/cursor";
import { andFilter, filterValue, inFilter, orFilter } from "@/connectors/twenty/filters";
import { twentyCredentialSchema, twentyManifest } from "@/connectors/twenty/manifest";
import { lookupFilter, normalizeKeyValue } from "@/connectors/twenty/unique-keys";
import type { UniqueKey } from "@/connectors/twenty/unique-keys";

const body = (statusCode: number, error: string, ...messages: string[]) => ({ statusCode, error, messages });

describe("twentyError", () => {
  it.each([
    [401, body(401, "UNAUTHENTICATED", "Token invalid."), "AUTH_INVALID"],
    [403, body(403, "FORBIDDEN_EXCEPTION", "Missing authentication token"), "AUTH_INVALID"],
    [403, body(403, "ForbiddenException", "Object permission denied"), "PERMISSION_DENIED"],
    [404, body(404, "NotFoundException", "Record not found"), "NOT_FOUND"],
    [429, { statusCode: 429, error: "TooManyRequestsException", messages: ["Limit reached (100 tokens per 60000 ms)"], code: "LIMIT_REACHED" }, "RATE_LIMITED"],
    [400, body(400, "BadRequestException", "Limit reached (100 tokens per 60000 ms)"), "RATE_LIMITED"],
    [400, body(400, "BadRequestException", "A duplicate entry was detected"), "CONFLICT"],
    [400, body(400, "BadRequestException", 'Domain "acme.com" is already used by another company'), "CONFLICT"],
    [400, body(400, "BadRequestException", "This Email value is already in use"), "CONFLICT"],
    [400, body(400, "BadRequestException", 'invalid input value for enum opportunity_stage_enum: "X"'), "VALIDATION"],
    [500, body(500, "InternalServerErrorException", "Internal server error"), "TEMPORARY"],
  ])("HTTP %i %j → %s", (status, payload, code) => {
    const error = twentyError(status, payload);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error?.code).toBe(code);
    expect(error?.message).toContain(payload.messages[0]);
  });

  it("echoes at most a short, sanitised excerpt of the body's message", () => {
    const error = twentyError(400, body(400, "BadRequestException", `Invalid value\r\n\u0007${"y".repeat(1_000)}`));
    const echoed = error!.message.replace("Twenty answered 400: ", "");
    expect(echoed.length).toBeLessThanOrEqual(MAX_ERROR_DETAIL_CHARS + 1);
    expect(echoed).toMatch(/^Invalid value y/);
    const graphql = twentyGraphqlError(200, { errors: [{ message: `Limit reached ${"z".repeat(1_000)}`, extensions: { code: "LIMIT_REACHED" } }] });
    expect(graphql!.message.length).toBeLessThanOrEqual("Twenty answered 200: ".length + MAX_ERROR_DETAIL_CHARS + 1);
  });

  it("leaves bodies that are not Twenty's to the shared mapping", () => {
    expect(twentyError(404, "<html>Not found</html>")).toBeUndefined();
    expect(twentyError(502, undefined)).toBeUndefined();
  });
});

describe("twentyGraphqlError", () => {
  const graphql = (code: string, message: string, extra: Record<string, unknown> = {}) => ({ errors: [{ message, extensions: { code, ...extra } }] });
  it.each([
    {
      name: "RATE_LIMITED with retryAfterMs",
      status: 200,
      payload: graphql("RATE_LIMITED", "Too many requests", { retryAfterMs: 1_500 }),
      code: "RATE_LIMITED",
      retryAfterMs: 1_500,
    },
    {
      name: "the throttler's LIMIT_REACHED",
      status: 200,
      payload: graphql("LIMIT_REACHED", "Limit reached (100 tokens per 60000 ms)"),
      code: "RATE_LIMITED",
      retryAfterMs: undefined,
    },
    {
      name: "a 'Limit reached' message under another code",
      status: 400,
      payload: graphql("BAD_USER_INPUT", "Limit reached (100 tokens per 60000 ms)"),
      code: "RATE_LIMITED",
      retryAfterMs: undefined,
    },
    {
      name: "an internal server error",
      status: 200,
      payload: graphql("INTERNAL_SERVER_ERROR", "Connection terminated"),
      code: "TEMPORARY",
      retryAfterMs: undefined,
    },
  ])("$name → $code", ({ status, payload, code, retryAfterMs }) => {
    const error = twentyGraphqlError(status, payload);
    expect(error?.code).toBe(code);
    expect(error?.retryAfterMs).toBe(retryAfterMs);
    expect(twentyError(status, payload)?.code).toBe(code);
  });

  it("leaves other GraphQL errors and plain data alone", () => {
    expect(twentyGraphqlError(200, graphql("BAD_USER_INPUT", "Unknown field"))).toBeUndefined();
    expect(twentyGraphqlError(200, { data: { currentWorkspace: { displayName: "Acme" } } })).toBeUndefined();
  });
});

describe("filters", () => {
  it.each([
    ["ada@acme.com", "ada@acme.com"],
    ["2025-01-01T00:00:00Z", '"2025-01-01T00:00:00Z"'],
    ["Acme, Inc", '"Acme, Inc"'],
    ['say "hi"', `'say "hi"'`],
    ["a(b)", null],
    [`both " and '`, null],
  ])("filterValue(%j) = %j", (input, expected) => expect(filterValue(input)).toBe(expected));

  it("builds in-lists, moving values with commas to eq leaves", () => {
    expect(inFilter("id", ["a", "b", "a"])).toBe("id[in]:[a,b]");
    expect(inFilter("name", ["Acme, Inc", "Beta"])).toBe('or(name[in]:[Beta],name[eq]:"Acme, Inc")');
    expect(inFilter("name", ["(x)"])).toBeNull();
  });

  it("combines leaves and drops empty ones", () => {
    expect(orFilter([null, "a[eq]:1"])).toBe("a[eq]:1");
    expect(andFilter(["a[eq]:1", "b[eq]:2"])).toBe("and(a[eq]:1,b[eq]:2)");
    expect(orFilter([null])).toBeNull();
  });
});

describe("unique keys", () => {
  const email: UniqueKey = { field: "emails", label: "email", kind: "email", path: "emails.primaryEmail" };
  const domain: UniqueKey = { field: "domainName", label: "domain", kind: "domain", path: "domainName.primaryLinkUrl" };

  it.each([
    [email, { primaryEmail: " Ada@Acme.com ", additionalEmails: [] }, "ada@acme.com"],
    [email, { primaryEmail: "" }, null],
    [domain, { primaryLinkUrl: "https://www.acme.com/about" }, "acme.com"],
    [domain, "acme.com", "acme.com"],
  ])("normalizes %j %j", (key, value, expected) => expect(normalizeKeyValue(key, value)).toBe(expected));

  it("looks domains up loosely and emails exactly", () => {
    expect(lookupFilter(domain, ["acme.com"])).toBe('domainName.primaryLinkUrl[ilike]:"%acme.com%"');
    expect(lookupFilter(email, ["a@b.co", "c@d.co"])).toBe("emails.primaryEmail[in]:[a@b.co,c@d.co]");
  });
});

describe("read cursor", () => {
  it("round-trips Twenty's cursor and the count read so far", () => {
    const cursor = encodeCursor({ after: "eyJpZCI6MX0=", read: 120 });
    expect(decodeCursor(cursor)).toEqual({ after: "eyJpZCI6MX0=", read: 120 });
    expect(decodeCursor(null)).toEqual({ after: null, read: 0 });
  });

  it("rejects a cursor it did not make", () => expect(() => decodeCursor("garbage")).toThrow(ConnectorError));
});

describe("credentials and base URL", () => {
  it.each([
    [{ apiKey: "k" }, "https://api.twenty.com"],
    [{ apiKey: "k", baseUrl: "https://crm.example.com/" }, "https://crm.example.com"],
    [{ apiKey: "k", baseUrl: "http://crm.example.com:3000//" }, "http://crm.example.com:3000"],
  ])("accepts %j with base URL %s", (input, baseUrl) => expect(twentyCredentialSchema.parse(input).baseUrl).toBe(baseUrl));

  it.each([
    [{ apiKey: "", baseUrl: "https://api.twenty.com" }],
    [{ apiKey: "k", baseUrl: "ftp://crm.example.com" }],
    [{ apiKey: "k", baseUrl: "crm.example.com" }],
  ])("rejects %j", (input) => expect(twentyCredentialSchema.safeParse(input).success).toBe(false));

  it("declares the published limits", () => {
    expect(twentyManifest).toMatchObject({ id: "twenty", kind: "crm", maxBatchSize: 200, rateLimit: { requests: 100, perMs: 60_000 } });
  });
});

/** A token shaped like Twenty's API keys (twenty-api §6.1): header.payload.signature, payload {sub, type, workspaceId}. */
function apiKeyOf(workspaceId: string, keyId: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "HS256", typ: "JWT" })}.${part({ sub: workspaceId, type: "API_KEY", workspaceId, jti: keyId })}.signature-${keyId}`;
}

describe("one budget per workspace", () => {
  it("reads the workspace from the key and gives two keys of one workspace one limiter", () => {
    const first = apiKeyOf("ws-1", "key-a");
    const second = apiKeyOf("ws-1", "key-b");
    const other = apiKeyOf("ws-2", "key-c");
    expect(twentyWorkspaceOf(first)).toBe("ws-1");
    expect(twentyWorkspaceOf("not-a-jwt")).toBeNull();
    expect(twentyWorkspaceOf("a.%%%.c")).toBeNull();
    const limit = { requests: 100, perMs: 60_000 };
    const limiterOf = (key: string, baseUrl = "https://crm.example") => limiterForBudget(twentyBudgetOf(baseUrl, key), limit);
    expect(limiterOf(first)).toBe(limiterOf(second));
    expect(limiterOf(first)).not.toBe(limiterOf(other));
    expect(limiterOf(first)).not.toBe(limiterOf(first, "https://other.example"));
    expect(limiterOf("plain-key-1")).not.toBe(limiterOf("plain-key-2"));
  });
});

describe("batchCapOf", () => {
  it("reads the cap Twenty names, falls back to 60, and ignores other errors", () => {
    expect(batchCapOf(new ConnectorError("VALIDATION", "Twenty answered 400: Maximum number of records to upsert is 60."))).toBe(60);
    expect(batchCapOf(new ConnectorError("VALIDATION", "Maximum number of records to upsert is 120."))).toBe(120);
    expect(batchCapOf(new ConnectorError("VALIDATION", "Maximum number of records to upsert is exceeded"))).toBe(60);
    expect(batchCapOf(new ConnectorError("VALIDATION", "A duplicate entry was detected"))).toBeNull();
    expect(batchCapOf(new ConnectorError("TEMPORARY", "Maximum number of records to upsert is 60."))).toBeNull();
  });
});
