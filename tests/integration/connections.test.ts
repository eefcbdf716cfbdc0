import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/lib/db";
import { generateKey } from "@/lib/crypto";
import { reloadEnvironment } from "@/lib/env";
import { ForbiddenError, NotFoundError, UserFacingError } from "@/lib/errors";
import { createConnection, listConnections, openConnection, removeConnection } from "@/lib/connections";
import { createInvite, resolveOrgContext, signUp, type OrgContext } from "@/lib/team";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import { createTestDatabase } from "../helpers/database";
import { makeUserWithOrganization } from "../helpers/factories";

const API_KEY = "twenty-integration-secret-0f3a9c";

let database: Database;
let cleanup: () => Promise<void>;
let sandbox: Awaited<ReturnType<typeof startTwentySandbox>>;

beforeAll(async () => {
  vi.stubEnv("NEXTAUTH_SECRET", "x".repeat(40));
  vi.stubEnv("ENCRYPTION_KEYS", `1:${generateKey()}`);
  vi.stubEnv("ALLOW_PRIVATE_CONNECTION_URLS", "1");
  reloadEnvironment();
  ({ database, cleanup } = await createTestDatabase());
  sandbox = await startTwentySandbox({ apiKey: API_KEY, port: 0, rateLimit: 0 });
});
afterAll(async () => {
  await sandbox.close();
  await cleanup();
  vi.unstubAllEnvs();
  reloadEnvironment();
});

function twentyInput(apiKey = API_KEY) {
  return { systemId: "twenty", label: "Our CRM", credentials: { apiKey, baseUrl: sandbox.url } };
}

async function memberOf(admin: OrgContext): Promise<OrgContext> {
  const email = `member-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
  const { token } = await createInvite(database, admin, { email, role: "operator" });
  const { userId } = await signUp(database, { name: "Member", email, password: "long enough password", inviteToken: token });
  return (await resolveOrgContext(database, userId, admin.organization.id))!;
}

describe("connections", () => {
  it("verifies the key with the system, stores it encrypted and never returns it", async () => {
    const admin = await makeUserWithOrganization(database);
    const { id } = await createConnection(database, admin, twentyInput());
    const listed = await listConnections(database, admin);
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(API_KEY);
    expect(listed[0]).toMatchObject({ id, systemId: "twenty", label: "Our CRM" });
    expect(listed[0].lastVerifiedAt).toBeInstanceOf(Date);

    const row = await database.connection.findUniqueOrThrow({ where: { id } });
    expect(row.credentialsCiphertext).not.toContain(API_KEY);
    expect(row.keyVersion).toBe(1);

    const session = await openConnection(database, admin.organization.id, id);
    await expect(session.verify()).resolves.toMatchObject({ accountName: expect.any(String) });
  });

  it("refuses a wrong key with a clear message, stores nothing and does not echo the key", async () => {
    const admin = await makeUserWithOrganization(database);
    const wrongKey = "definitely-wrong-key-77";
    const failure = await createConnection(database, admin, twentyInput(wrongKey)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UserFacingError);
    expect((failure as Error).message).toMatch(/rejected the API key/);
    expect((failure as Error).message).not.toContain(wrongKey);
    expect(await listConnections(database, admin)).toHaveLength(0);
  });

  it("refuses an unknown system and credentials that do not fit the system", async () => {
    const admin = await makeUserWithOrganization(database);
    await expect(createConnection(database, admin, { ...twentyInput(), systemId: "salesforce" })).rejects.toThrow(/Choose a system Ferry supports/);
    await expect(createConnection(database, admin, { ...twentyInput(), credentials: { baseUrl: sandbox.url } })).rejects.toThrow(UserFacingError);
    expect(await listConnections(database, admin)).toHaveLength(0);
  });

  it("refuses loopback URLs unless private connection URLs are allowed", async () => {
    const admin = await makeUserWithOrganization(database);
    vi.stubEnv("ALLOW_PRIVATE_CONNECTION_URLS", "0");
    reloadEnvironment();
    try {
      await expect(createConnection(database, admin, twentyInput())).rejects.toThrow(/private or local network/);
    } finally {
      vi.stubEnv("ALLOW_PRIVATE_CONNECTION_URLS", "1");
      reloadEnvironment();
    }
    expect(await listConnections(database, admin)).toHaveLength(0);
  });

  it.each([
    ["Teamwork Desk", (address: string) => ({ systemId: "teamwork-desk", label: "Desk", credentials: { site: address, apiKey: "desk-key-123456" } })],
    ["Twenty", (address: string) => ({ systemId: "twenty", label: "CRM", credentials: { apiKey: API_KEY, baseUrl: address } })],
  ])("says at once that Ferry cannot reach an address where nothing listens (%s)", async (_system, input) => {
    const admin = await makeUserWithOrganization(database);
    // A port that was just free: connecting to it is refused.
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const address = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const started = Date.now();
    const failure = await createConnection(database, admin, input(address)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UserFacingError);
    expect((failure as Error).message).toBe(
      `Ferry cannot reach ${address}: the connection was refused (GET ${_system === "Twenty" ? "/rest/workspaceMembers" : "/me.json"}). Check the address.`,
    );
    // Retried, this took 14 s; one refused connection is answered in milliseconds.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await listConnections(database, admin)).toHaveLength(0);
  });

  it("lets only admins add or remove connections", async () => {
    const admin = await makeUserWithOrganization(database);
    const member = await memberOf(admin);
    await expect(createConnection(database, member, twentyInput())).rejects.toThrow(ForbiddenError);
    const { id } = await createConnection(database, admin, twentyInput());
    await expect(removeConnection(database, member, id)).rejects.toThrow(ForbiddenError);
    expect(await listConnections(database, member)).toHaveLength(1);
    await removeConnection(database, admin, id);
    expect(await listConnections(database, admin)).toHaveLength(0);
  });

  it("keeps organization A's connections out of organization B's reach", async () => {
    const organizationA = await makeUserWithOrganization(database);
    const organizationB = await makeUserWithOrganization(database);
    const { id } = await createConnection(database, organizationA, twentyInput());
    expect(await listConnections(database, organizationB)).toHaveLength(0);
    await expect(removeConnection(database, organizationB, id)).rejects.toThrow(NotFoundError);
    await expect(openConnection(database, organizationB.organization.id, id)).rejects.toThrow(NotFoundError);
    expect(await listConnections(database, organizationA)).toHaveLength(1);
  });
});
