// Notifications end to end against a real PostgreSQL database, a Twenty sandbox and a real SMTP server in
// process: what a run's end tells each member (bell and mail, as they chose), delivery with retry,
// the outbox without SMTP, the stall watch, and the invitation mail.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import type { Database } from "@/lib/db";
import { pauseRun } from "@/lib/migration/engine";
import { transition } from "@/lib/migration/run-state";
import { deliverDueMails, retryDelayMs } from "@/lib/notifications/delivery";
import { listNotifications, markRead, unreadCount } from "@/lib/notifications/inbox";
import { queueInvitationMail } from "@/lib/notifications/invitations";
import { preferencesFor, savePreferences } from "@/lib/notifications/preferences";
import { sweepStalledRuns } from "@/lib/notifications/stalls";
import { startNotificationWorker } from "@/lib/notifications/worker";
import { createInvite } from "@/lib/team";
import { createTestDatabase } from "../helpers/database";
import { runToEnd, sampleAgentsAsWorkspaceMembers, setupMigration, type TestMigration } from "../helpers/engine-fixtures";
import { makeUserWithOrganization } from "../helpers/factories";
import { startTestSmtpServer, type TestSmtpServer } from "../helpers/smtp-server";

const API_KEY = "notifications-key";
const FROM = "Ferry <ferry@example.com>";

let database: Database;
let cleanup: () => Promise<void>;
let smtp: TestSmtpServer;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  ({ database, cleanup } = await createTestDatabase());
  smtp = await startTestSmtpServer();
});

// Each test starts with no mail waiting and no run running (the stall watch and delivery look at all of them).
beforeEach(async () => {
  await database.outgoingMail.deleteMany();
  await database.run.updateMany({ where: { status: "running" }, data: { status: "cancelled" } });
});

afterAll(async () => {
  await smtp?.close();
  for (const close of closers) await close();
  await cleanup?.();
});

/** A migration from the Sample source into a fresh Twenty sandbox, with two members in its organization. */
async function migrationWithTeam(): Promise<{ migration: TestMigration; ada: { id: string; email: string }; bo: { id: string; email: string } }> {
  const target = await startTwentySandbox({ apiKey: API_KEY, rateLimit: 0, workspaceMembers: sampleAgentsAsWorkspaceMembers() });
  closers.push(() => target.close());
  const migration = await setupMigration(database, {
    source: { systemId: "sample", credentials: { scale: 0.02 } },
    target: { systemId: "twenty", credentials: { apiKey: API_KEY, baseUrl: target.url } },
  });
  const [ada, bo] = [await makeUserWithOrganization(database), await makeUserWithOrganization(database)];
  for (const member of [ada, bo])
    await database.membership.create({ data: { userId: member.user.id, organizationId: migration.organizationId, role: "operator" } });
  return { migration, ada: ada.user, bo: bo.user };
}

const mailsTo = (to: string) => database.outgoingMail.findMany({ where: { to }, orderBy: { createdAt: "asc" } });

describe("a run's end", () => {
  it("reaches every member's bell and, by their choice, their inbox through SMTP with the counts and a link", async () => {
    const { migration, ada, bo } = await migrationWithTeam();
    // Bo keeps the bell but turns off mail for finished runs.
    await savePreferences(database, bo.id, [{ kind: "run_finished", inApp: true, email: false }]);

    const { runId, status } = await runToEnd(database, migration, "full");
    expect(status).toBe("completed");
    const run = await database.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.createdRecords).toBeGreaterThan(0);

    for (const user of [ada, bo]) {
      const [notice] = await listNotifications(database, user.id);
      expect(notice).toMatchObject({
        kind: "run_finished",
        title: "Full run of “Engine test” finished",
        link: `/migrations/${migration.migrationId}/runs/${runId}`,
        readAt: null,
      });
      expect(notice.body).toContain(`${run.createdRecords.toLocaleString("en")} records created`);
      expect(await unreadCount(database, user.id)).toBe(1);
    }
    expect(await mailsTo(bo.email)).toHaveLength(0);
    expect(await mailsTo(ada.email)).toMatchObject([{ kind: "run_finished", status: "queued" }]);

    expect(await deliverDueMails(database, { sender: smtp.sender(), from: FROM })).toEqual({ sent: 1, outbox: 0, failed: 0 });
    const mail = smtp.received.find((received) => received.to.includes(ada.email));
    expect(mail).toBeDefined();
    expect(mail!.from).toBe("ferry@example.com");
    expect(mail!.subject).toBe("Full run of “Engine test” finished");
    expect(mail!.text).toContain(`${run.createdRecords.toLocaleString("en")} records created, 0 updated`);
    expect(mail!.text).toContain(`Open it: http://localhost:3000/migrations/${migration.migrationId}/runs/${runId}`);
    expect(mail!.text).toContain("http://localhost:3000/settings/notifications");
    expect(await mailsTo(ada.email)).toMatchObject([{ status: "sent", attempts: 1 }]);
    // Delivered once: a second pass sends nothing.
    expect(await deliverDueMails(database, { sender: smtp.sender(), from: FROM })).toEqual({ sent: 0, outbox: 0, failed: 0 });
  });

  it("speaks each member's language: the bell and the mail in French for a member who chose French", async () => {
    const { migration, ada, bo } = await migrationWithTeam();
    await database.user.update({ where: { id: bo.id }, data: { locale: "fr" } });

    const { runId, status } = await runToEnd(database, migration, "full");
    expect(status).toBe("completed");
    const run = await database.run.findUniqueOrThrow({ where: { id: runId } });

    const [french] = await listNotifications(database, bo.id);
    expect(french.title).toBe("Migration complète de « Engine test » : terminée");
    expect(french.body).toContain(`${new Intl.NumberFormat("fr").format(run.createdRecords)} enregistrements créés`);
    const [english] = await listNotifications(database, ada.id);
    expect(english.title).toBe("Full run of “Engine test” finished");
    const [mail] = await mailsTo(bo.email);
    expect(mail.subject).toBe("Migration complète de « Engine test » : terminée");
    expect(mail.text).toContain(`L'ouvrir : http://localhost:3000/migrations/${migration.migrationId}/runs/${runId}`);
  });

  it("tells a failure with its reason and what to do, and stays quiet about a pause the user asked for", async () => {
    const { migration, ada } = await migrationWithTeam();
    const { id: runId } = await database.run.create({ data: { migrationId: migration.migrationId, mode: "full", status: "running" }, select: { id: true } });

    await pauseRun(database, runId);
    expect(await listNotifications(database, ada.id)).toHaveLength(0);

    await transition(database, runId, ["paused"], "running", null);
    const reason = "Twenty refused the API key (401).";
    await transition(
      database,
      runId,
      ["running"],
      "paused",
      { kind: "paused", level: "error", message: reason },
      { pauseReason: reason, pauseKind: "credentials" },
    );
    await transition(
      database,
      runId,
      ["paused"],
      "failed",
      { kind: "failed", level: "error", message: "The run failed: the workspace is gone." },
      { error: "the workspace is gone." },
    );

    const [failed, paused] = await listNotifications(database, ada.id);
    expect(paused).toMatchObject({ kind: "run_failed", title: "Full run of “Engine test” paused" });
    expect(paused.body).toBe(`${reason} Update the connection's API key under Connections (or give it the permission named), then Resume the run.`);
    expect(failed).toMatchObject({ kind: "run_failed", title: "Full run of “Engine test” failed" });
    expect(failed.body).toMatch(/^the workspace is gone\. Open the run, fix what the reason names/);
  });

  it("is told nowhere when a transition loses its race", async () => {
    const { migration, ada } = await migrationWithTeam();
    const { id: runId } = await database.run.create({ data: { migrationId: migration.migrationId, mode: "full", status: "completed" }, select: { id: true } });
    expect(await transition(database, runId, ["running"], "failed", { kind: "failed", message: "x" }, { error: "x" })).toBe(false);
    expect(await listNotifications(database, ada.id)).toHaveLength(0);
  });
});

describe("mail delivery", () => {
  it("keeps a mail the SMTP server refused and sends it on a later attempt", async () => {
    const { migration, ada, bo } = await migrationWithTeam();
    await savePreferences(database, bo.id, [{ kind: "run_failed", inApp: true, email: false }]);
    const { id: runId } = await database.run.create({ data: { migrationId: migration.migrationId, mode: "full", status: "running" }, select: { id: true } });
    await transition(database, runId, ["running"], "failed", { kind: "failed", message: "The run failed: boom." }, { error: "boom." });
    const start = new Date();
    const before = smtp.received.length;

    smtp.refuseNext(1);
    expect(await deliverDueMails(database, { sender: smtp.sender(), from: FROM, now: () => start })).toMatchObject({ sent: 0, failed: 1 });
    const [waiting] = await mailsTo(ada.email);
    expect(waiting).toMatchObject({ status: "queued", attempts: 1 });
    expect(waiting.lastError).toMatch(/451/);
    expect(waiting.nextAttemptAt.getTime()).toBe(start.getTime() + retryDelayMs(1));

    // Not due yet: nothing is sent.
    expect(await deliverDueMails(database, { sender: smtp.sender(), from: FROM, now: () => new Date(start.getTime() + retryDelayMs(1) - 1) })).toMatchObject({
      sent: 0,
      failed: 0,
    });
    expect(await deliverDueMails(database, { sender: smtp.sender(), from: FROM, now: () => new Date(start.getTime() + retryDelayMs(1)) })).toMatchObject({
      sent: 1,
    });
    expect(smtp.received.slice(before).map((mail) => mail.subject)).toEqual(["Full run of “Engine test” failed"]);
    expect(await mailsTo(ada.email)).toMatchObject([{ status: "sent", attempts: 2, lastError: null }]);
  });

  it("keeps the mail queued when the SMTP server cannot be reached at all", async () => {
    const { migration, ada, bo } = await migrationWithTeam();
    await savePreferences(database, bo.id, [{ kind: "run_failed", inApp: true, email: false }]);
    const { id: runId } = await database.run.create({ data: { migrationId: migration.migrationId, mode: "full", status: "running" }, select: { id: true } });
    await transition(database, runId, ["running"], "failed", { kind: "failed", message: "The run failed: boom." }, { error: "boom." });
    const closed = await startTestSmtpServer();
    await closed.close();
    expect(await deliverDueMails(database, { sender: closed.sender(), from: FROM })).toEqual({ sent: 0, outbox: 0, failed: 1 });
    const [waiting] = await mailsTo(ada.email);
    expect(waiting).toMatchObject({ status: "queued", attempts: 1 });
    expect(waiting.lastError).toMatch(/ECONNREFUSED|connect/i);
  });

  it("is done by the worker the server starts, at once and then on its interval", async () => {
    const { migration, ada } = await migrationWithTeam();
    const { id: runId } = await database.run.create({ data: { migrationId: migration.migrationId, mode: "full", status: "running" }, select: { id: true } });
    await transition(database, runId, ["running"], "completed", { kind: "completed", message: "done" });
    const worker = startNotificationWorker({
      database,
      intervalMs: 60_000,
      delivery: { sender: null, from: FROM },
      stallMs: 60_000,
      logger: { warn: () => undefined },
    });
    // stop() waits for the pass the start began.
    await worker.stop();
    expect(await mailsTo(ada.email)).toMatchObject([{ status: "outbox" }]);
  });

  it("waits longer after each failure, up to an hour", () => {
    expect([1, 2, 3, 10, 30].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 3_600_000, 3_600_000]);
  });

  it("puts mails into the outbox, exactly as they would be sent, without SMTP", async () => {
    const { migration, ada } = await migrationWithTeam();
    const { id: runId } = await database.run.create({ data: { migrationId: migration.migrationId, mode: "demo", status: "running" }, select: { id: true } });
    await transition(database, runId, ["running"], "completed", { kind: "completed", message: "done" });
    expect(await deliverDueMails(database, { sender: null, from: FROM })).toEqual({ sent: 0, outbox: 2, failed: 0 });
    const [mail] = await mailsTo(ada.email);
    expect(mail).toMatchObject({ status: "outbox", subject: "Demo run of “Engine test” finished" });
    expect(mail.text).toContain(`Open it: http://localhost:3000/migrations/${migration.migrationId}/runs/${runId}`);
  });
});

describe("the bell", () => {
  it("marks a user's own notifications read, never another's", async () => {
    const { migration, ada, bo } = await migrationWithTeam();
    const { id: runId } = await database.run.create({ data: { migrationId: migration.migrationId, mode: "full", status: "running" }, select: { id: true } });
    await transition(database, runId, ["running"], "completed", { kind: "completed", message: "done" });
    const [adaNotice] = await listNotifications(database, ada.id);
    expect(await markRead(database, bo.id, { ids: [adaNotice.id] })).toBe(0);
    expect(await unreadCount(database, ada.id)).toBe(1);
    expect(await markRead(database, ada.id, { ids: [adaNotice.id] })).toBe(1);
    expect(await unreadCount(database, ada.id)).toBe(0);
    expect(await markRead(database, bo.id, { all: true })).toBe(1);
    await expect(markRead(database, bo.id, { ids: ["not an id"] })).rejects.toThrow();
  });

  it("saves preferences per kind and refuses unknown kinds", async () => {
    const { ada } = await migrationWithTeam();
    expect((await preferencesFor(database, ada.id)).run_stalled).toEqual({ inApp: true, email: true });
    await savePreferences(database, ada.id, [{ kind: "run_stalled", inApp: false, email: true }]);
    expect((await preferencesFor(database, ada.id)).run_stalled).toEqual({ inApp: false, email: true });
    await expect(savePreferences(database, ada.id, [{ kind: "everything", inApp: true, email: true }])).rejects.toThrow();
    expect((await preferencesFor(database, ada.id)).run_stalled).toEqual({ inApp: false, email: true });
  });
});

describe("the stall watch", () => {
  it("tells a running run without progress once, after the configured time, and again only after it moved", async () => {
    const { migration, ada } = await migrationWithTeam();
    const { id: runId } = await database.run.create({
      data: { migrationId: migration.migrationId, mode: "full", status: "running", processedRecords: 40 },
      select: { id: true },
    });
    const stallMs = 15 * 60_000;
    const t0 = new Date("2026-12-07T10:00:00Z");
    const at = (ms: number) => ({ now: new Date(t0.getTime() + ms), stallMs });
    const stalled = async () => (await listNotifications(database, ada.id)).filter((notice) => notice.kind === "run_stalled");

    expect((await sweepStalledRuns(database, at(0))).notified).toEqual([]);
    expect((await sweepStalledRuns(database, at(stallMs - 1))).notified).toEqual([]);
    expect((await sweepStalledRuns(database, at(stallMs))).notified).toEqual([runId]);
    expect((await sweepStalledRuns(database, at(stallMs * 2))).notified).toEqual([]);
    const [notice] = await stalled();
    expect(notice.title).toBe("Full run of “Engine test” has made no progress for 15 minutes");
    expect(notice.body).toContain("(40 records processed)");

    // Progress resets the watch; a new stall is told again.
    await database.run.update({ where: { id: runId }, data: { processedRecords: 41 } });
    expect((await sweepStalledRuns(database, at(stallMs * 3))).notified).toEqual([]);
    expect((await sweepStalledRuns(database, at(stallMs * 4))).notified).toEqual([runId]);
    expect(await stalled()).toHaveLength(2);

    // The stale filter's pre-pass reads for long before it writes: a moving cursor is progress too.
    await database.run.update({ where: { id: runId }, data: { activityScan: JSON.stringify({ objectType: "tickets", cursor: "page-2" }) } });
    expect((await sweepStalledRuns(database, at(stallMs * 4 + 1))).notified).toEqual([]);
    expect((await sweepStalledRuns(database, at(stallMs * 5))).notified).toEqual([]);
    expect((await sweepStalledRuns(database, at(stallMs * 5 + 1))).notified).toEqual([runId]);

    // A run that stopped running is forgotten.
    await database.run.update({ where: { id: runId }, data: { status: "paused" } });
    await sweepStalledRuns(database, at(stallMs * 6));
    expect(await database.runWatch.count({ where: { runId } })).toBe(0);
  });
});

describe("invitations", () => {
  it("mails the invite link to the invited address", async () => {
    const admin = await makeUserWithOrganization(database, { name: "Ada Admin", organizationName: "Acme Support" });
    const { token, inviteId } = await createInvite(database, admin, { email: "new.agent@example.com", role: "operator" });
    await queueInvitationMail(database, inviteId, token);
    const before = smtp.received.length;
    await deliverDueMails(database, { sender: smtp.sender(), from: FROM });
    const [mail] = smtp.received.slice(before);
    expect(mail.to).toEqual(["new.agent@example.com"]);
    expect(mail.subject).toBe("Ada Admin invited you to Acme Support on Ferry");
    expect(mail.text).toContain(`Accept the invitation: http://localhost:3000/invite/${token}`);
  });
});
