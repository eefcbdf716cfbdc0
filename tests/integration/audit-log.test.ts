// The organization audit log, filled through the server actions: each entry names its author,
// filters by user, kind and day, exports as CSV, and never shows a secret (API key, invite token).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/lib/db";
import { generateKey } from "@/lib/crypto";
import { reloadEnvironment } from "@/lib/env";
import { auditCsv, listAuditEntries, recordAudit } from "@/lib/audit-log";
import { builtInRole } from "@/lib/auth/roles";
import { ForbiddenError } from "@/lib/errors";
import { acceptInviteAction } from "@/app/actions/auth-actions";
import { createConnectionAction, removeConnectionAction } from "@/app/actions/connection-actions";
import { renameOrganizationAction } from "@/app/actions/organization-actions";
import { cancelRunAction, pauseRunAction, resumeRunAction } from "@/app/actions/run-actions";
import { changeRoleAction, createInviteAction, createRoleAction, removeMemberAction, revokeInviteAction } from "@/app/actions/team-actions";
import { createMigrationAction } from "@/app/actions/wizard-actions";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import { createTestDatabase } from "../helpers/database";
import { signInAs, useDatabase } from "../helpers/action-harness";
import { makeUserWithOrganization, seedOrganizationData } from "../helpers/factories";

vi.mock("server-only", () => ({}));
vi.mock("next-auth", async () => (await import("../helpers/action-harness")).nextAuthModule);
vi.mock("next/headers", async () => (await import("../helpers/action-harness")).nextHeadersModule);
vi.mock("next/navigation", async () => (await import("../helpers/action-harness")).nextNavigationModule);
vi.mock("next/cache", async () => (await import("../helpers/action-harness")).nextCacheModule);

const API_KEY = "twenty-audit-secret-5d1e77";

let database: Database;
let cleanup: () => Promise<void>;
let sandbox: Awaited<ReturnType<typeof startTwentySandbox>>;

beforeAll(async () => {
  vi.stubEnv("NEXTAUTH_SECRET", "x".repeat(40));
  vi.stubEnv("ENCRYPTION_KEYS", `1:${generateKey()}`);
  vi.stubEnv("ALLOW_PRIVATE_CONNECTION_URLS", "1");
  reloadEnvironment();
  ({ database, cleanup } = await createTestDatabase());
  useDatabase(database);
  sandbox = await startTwentySandbox({ apiKey: API_KEY, port: 0, rateLimit: 0 });
});
afterAll(async () => {
  await sandbox.close();
  await cleanup();
  vi.unstubAllEnvs();
  reloadEnvironment();
});

describe("the organization audit log", () => {
  it("records who did what through the actions, names every author and never shows a secret", async () => {
    const admin = await makeUserWithOrganization(database, { name: "Ada Admin" });
    const seeded = await seedOrganizationData(database, admin);
    await signInAs(admin);

    const added = await createConnectionAction({ systemId: "twenty", label: "Audited CRM", credentials: { apiKey: API_KEY, baseUrl: sandbox.url } });
    expect(added).toMatchObject({ ok: true });
    expect(await removeConnectionAction(added.ok ? added.data!.id : "")).toMatchObject({ ok: true });
    const invite = await createInviteAction({ email: "bo@example.com", role: "operator" });
    const token = invite.ok ? (invite.data!.link ?? "").split("/invite/")[1] : "";
    expect(token.length).toBeGreaterThan(10);
    const withdrawn = await createInviteAction({ email: "cy@example.com", role: "viewer" });
    const withdrawnId = (await database.invite.findFirstOrThrow({ where: { email: "cy@example.com" }, select: { id: true } })).id;
    expect(withdrawn.ok && (await revokeInviteAction(withdrawnId)).ok).toBe(true);
    expect(await createRoleAction({ name: "Planner", permissions: ["migrations"] })).toMatchObject({ ok: true });
    expect(await renameOrganizationAction({ name: "Audited Org" })).toMatchObject({ ok: true });
    await expect(createMigrationAction({ name: "Audited migration" })).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT/) });

    const bo = await makeUserWithOrganization(database, { name: "Bo Operator" });
    await database.user.update({ where: { id: bo.user.id }, data: { email: "bo@example.com" } });
    await signInAs({ user: bo.user, organization: admin.organization });
    expect(await acceptInviteAction(token)).toMatchObject({ ok: true });
    await database.run.update({ where: { id: seeded.runId }, data: { status: "running" } });
    expect(await pauseRunAction({ runId: seeded.runId })).toMatchObject({ ok: true });
    await database.run.update({ where: { id: seeded.runId }, data: { status: "paused", pauseKind: "user" } });
    expect(await resumeRunAction({ runId: seeded.runId })).toMatchObject({ ok: true });
    expect(await cancelRunAction({ runId: seeded.runId })).toMatchObject({ ok: true });

    await signInAs(admin);
    const boMembership = (
      await database.membership.findFirstOrThrow({ where: { userId: bo.user.id, organizationId: admin.organization.id }, select: { id: true } })
    ).id;
    expect(await changeRoleAction(boMembership, "viewer")).toMatchObject({ ok: true });
    expect(await removeMemberAction(boMembership)).toMatchObject({ ok: true });

    const { entries, authors } = await listAuditEntries(database, admin, {});
    expect(new Set(entries.map((entry) => entry.kind))).toEqual(
      new Set([
        "connection.added",
        "connection.removed",
        "invite.created",
        "invite.revoked",
        "invite.accepted",
        "role.created",
        "organization.renamed",
        "migration.created",
        "run.paused",
        "run.resumed",
        "run.cancelled",
        "member.role_changed",
        "member.removed",
      ]),
    );
    for (const entry of entries) expect(entry.userName && entry.userEmail, entry.kind).toBeTruthy();
    expect(entries.find((entry) => entry.kind === "run.paused")).toMatchObject({
      userName: "Bo Operator",
      userEmail: "bo@example.com",
      runId: seeded.runId,
      summary: 'Paused the full run of "Seeded migration".',
    });
    expect(entries.find((entry) => entry.kind === "member.role_changed")).toMatchObject({
      userName: "Ada Admin",
      summary: "Changed bo@example.com from Operator to Viewer.",
    });
    expect(authors.map((author) => author.name).sort()).toEqual(["Ada Admin", "Bo Operator"]);

    const csv = await auditCsv(database, admin, {});
    const everything = JSON.stringify(entries) + csv.body;
    for (const secret of [API_KEY, token]) expect(everything).not.toContain(secret);
    expect(csv.body.split("\r\n")[0]).toBe("time (UTC),user,email,action,what,migration id,run id");
    expect(csv.body).toContain("Ada Admin,");
    expect(csv.body.trim().split("\r\n")).toHaveLength(entries.length + 1);
  });

  it("filters by user, kind and day range (the end day included), and is read only with the members permission", async () => {
    const admin = await makeUserWithOrganization(database, { name: "Filter Admin" });
    const other = { organizationId: admin.organization.id, user: { id: admin.user.id, name: "Someone Else", email: "else@example.com" } };
    await recordAudit(database, other, { kind: "mapping.saved", summary: "Saved a mapping." }, new Date("2026-12-01T10:00:00Z"));
    await recordAudit(database, other, { kind: "fix.applied", summary: "Applied a fix." }, new Date("2026-12-03T23:59:00Z"));
    await recordAudit(
      database,
      { ...other, user: { id: admin.user.id, name: "Filter Admin", email: admin.user.email } },
      { kind: "run.started", summary: "Started a run." },
      new Date("2026-12-05T08:00:00Z"),
    );
    const kinds = async (filter: Record<string, string>) => (await listAuditEntries(database, admin, filter)).entries.map((entry) => entry.kind);
    expect(await kinds({})).toEqual(["run.started", "fix.applied", "mapping.saved"]);
    expect(await kinds({ kind: "fix.applied" })).toEqual(["fix.applied"]);
    expect(await kinds({ from: "2026-12-02", to: "2026-12-03" })).toEqual(["fix.applied"]);
    expect(await kinds({ from: "2026-12-04" })).toEqual(["run.started"]);
    await expect(listAuditEntries(database, admin, { kind: "secrets.dumped" })).rejects.toThrow();
    await expect(listAuditEntries(database, admin, { from: "yesterday" })).rejects.toThrow(/2026-12-07/);
    await expect(listAuditEntries(database, { ...admin, role: builtInRole("operator") }, {})).rejects.toBeInstanceOf(ForbiddenError);
    const stranger = await makeUserWithOrganization(database);
    expect((await listAuditEntries(database, stranger, {})).entries).toEqual([]);
  });
});
