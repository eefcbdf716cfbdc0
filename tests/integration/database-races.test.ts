// Read-then-write paths that a single writer kept in line and PostgreSQL runs side by side:
// each is raced here on a real database, and the outcome is the one a single writer would give.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "@/lib/db";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import { createRun } from "@/lib/migration/engine";
import { UserFacingError } from "@/lib/errors";
import { GENERIC_SIGN_UP_ERROR, changeRole, createInvite, removeMember, signUp, type OrgContext } from "@/lib/team";
import { createTestDatabase } from "../helpers/database";
import { writeWizard } from "@/lib/wizard";
import { setupMigration } from "../helpers/engine-fixtures";
import { makeUserWithOrganization } from "../helpers/factories";

const API_KEY = "database-races-key";

let database: Database;
let url: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ database, url, cleanup } = await createTestDatabase());
});
afterAll(async () => {
  await cleanup?.();
});

const outcomes = (results: PromiseSettledResult<unknown>[]) => ({
  fulfilled: results.filter((result) => result.status === "fulfilled").length,
  refusals: results.flatMap((result) => (result.status === "rejected" ? [result.reason as Error] : [])),
});

describe("races on one database", () => {
  it("starts one run when a migration is started several times at once, from separate connections", async () => {
    const target = await startTwentySandbox({ apiKey: API_KEY, rateLimit: 0 });
    const clients = Array.from({ length: 8 }, () => createDatabase({ url }));
    try {
      const migration = await setupMigration(database, {
        source: { systemId: "sample", credentials: { scale: 0.01 } },
        target: { systemId: "twenty", credentials: { apiKey: API_KEY, baseUrl: target.url } },
      });
      for (let round = 0; round < 4; round += 1) {
        await database.run.updateMany({ where: { migrationId: migration.migrationId }, data: { status: "cancelled" } });
        const results = await Promise.allSettled(clients.map((client) => createRun(client, { migrationId: migration.migrationId, mode: "full" })));
        const { fulfilled, refusals } = outcomes(results);
        expect(fulfilled).toBe(1);
        for (const refusal of refusals) expect(refusal.message).toMatch(/Another run of this migration is queued/);
        expect(await database.run.count({ where: { migrationId: migration.migrationId, status: "queued" } })).toBe(1);
      }
    } finally {
      await Promise.all(clients.map((client) => client.$disconnect()));
      await target.close();
    }
  });

  it("keeps a member manager when the last two admins demote and remove each other at the same moment", async () => {
    const first = await makeUserWithOrganization(database);
    const second = await database.user.create({ data: { email: `second-${Date.now()}@example.com`, name: "Second", passwordHash: "-" } });
    const secondMembership = await database.membership.create({ data: { userId: second.id, organizationId: first.organization.id, role: "admin" } });
    const firstMembership = await database.membership.findFirstOrThrow({ where: { userId: first.user.id, organizationId: first.organization.id } });
    const secondContext: OrgContext = { ...first, user: { id: second.id, email: second.email, name: second.name, isStaff: false } };
    const results = await Promise.allSettled([
      changeRole(database, first, secondMembership.id, "operator"),
      removeMember(database, secondContext, firstMembership.id),
    ]);
    const { fulfilled, refusals } = outcomes(results);
    expect(fulfilled).toBe(1);
    expect(refusals[0].message).toMatch(/at least one member who can manage members/);
    expect(await database.membership.count({ where: { organizationId: first.organization.id, role: "admin" } })).toBe(1);
  });

  it("creates one account when the same email signs up twice at once, and gives the other the generic answer", async () => {
    const email = `twice-${Date.now()}@example.com`;
    const input = { name: "Twice", email, password: "a long enough password 1", organizationName: "Twice Org" };
    const results = await Promise.allSettled([signUp(database, input), signUp(database, input)]);
    const { fulfilled, refusals } = outcomes(results);
    expect(fulfilled).toBe(1);
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toBeInstanceOf(UserFacingError);
    expect(refusals[0].message).toBe(GENERIC_SIGN_UP_ERROR);
    expect(await database.user.count({ where: { email } })).toBe(1);
  });

  it("keeps every answer when several wizard steps save at once (two tabs, a running audit, counts)", async () => {
    const context = await makeUserWithOrganization(database);
    const migration = await database.migration.create({
      data: { organizationId: context.organization.id, name: "Two tabs", status: "draft", plan: "{}", wizardState: "{}" },
    });
    const clients = Array.from({ length: 8 }, () => createDatabase({ url }));
    try {
      await Promise.all(
        clients.map((client, index) =>
          writeWizard(client, context, migration.id, {
            updateState: (current) => ({ ...current, confirmations: { ...current.confirmations, [`confirmation-${index}`]: "2026-12-08T00:00:00.000Z" } }),
          }),
        ),
      );
      const stored = await database.migration.findUniqueOrThrow({ where: { id: migration.id }, select: { wizardState: true } });
      expect(Object.keys(JSON.parse(stored.wizardState).confirmations).sort()).toEqual(clients.map((_, index) => `confirmation-${index}`).sort());
    } finally {
      await Promise.all(clients.map((client) => client.$disconnect()));
    }
  });

  it("leaves one pending invitation when the same address is invited several times at once", async () => {
    const admin = await makeUserWithOrganization(database);
    const clients = Array.from({ length: 6 }, () => createDatabase({ url }));
    try {
      await Promise.all(clients.map((client) => createInvite(client, admin, { email: "twice.invited@example.com", role: "viewer" })));
      expect(await database.invite.count({ where: { organizationId: admin.organization.id, acceptedAt: null, revokedAt: null } })).toBe(1);
      expect(await database.invite.count({ where: { organizationId: admin.organization.id } })).toBe(clients.length);
    } finally {
      await Promise.all(clients.map((client) => client.$disconnect()));
    }
  });
});
