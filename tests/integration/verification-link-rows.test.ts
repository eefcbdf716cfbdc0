// The end of a run verifies Twenty's notes without reading their link rows again (the writer had
// each row confirmed when it was written), and says so; verifyRun, the deep verification, reads
// them and sees a link removed after the run.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import type { Database } from "@/lib/db";
import { parseVerification, verifyRun } from "@/lib/migration/verify";
import { createTestDatabase } from "../helpers/database";
import { startFaultProxy, type FaultProxy } from "../helpers/engine-fault-proxy";
import { runToEnd, sampleAgentsAsWorkspaceMembers, setupMigration, type TestMigration } from "../helpers/engine-fixtures";

const API_KEY = "verification-link-rows-key";

let database: Database;
let cleanup: () => Promise<void>;
let box: Awaited<ReturnType<typeof startTwentySandbox>>;
let proxy: FaultProxy;
let migration: TestMigration;
let runId: string;
const linkRowReads = { count: 0 };

beforeAll(async () => {
  ({ database, cleanup } = await createTestDatabase());
  box = await startTwentySandbox({ apiKey: API_KEY, rateLimit: 0, workspaceMembers: sampleAgentsAsWorkspaceMembers() });
  proxy = await startFaultProxy(box.url, {
    share: 0,
    rule: ({ method, path }) => {
      if (method === "GET" && path === "/rest/noteTargets") linkRowReads.count += 1;
      return null;
    },
  });
  migration = await setupMigration(database, {
    source: { systemId: "sample", credentials: { scale: 0.05 } },
    target: { systemId: "twenty", credentials: { apiKey: API_KEY, baseUrl: proxy.url } },
  });
  ({ runId } = await runToEnd(database, migration, "full"));
}, 90_000);

afterAll(async () => {
  await proxy?.close();
  await box?.close();
  await cleanup?.();
});

describe("verification of link rows", () => {
  it("ends a run clean without reading a link row, counting the notes' links as confirmed when written", async () => {
    const run = await database.run.findUniqueOrThrow({ where: { id: runId }, select: { status: true, verification: true } });
    const report = parseVerification(run.verification);
    expect(run.status).toBe("completed");
    expect(report?.clean).toBe(true);
    const notes = report?.objects.filter((object) => object.targetObjectType === "notes") ?? [];
    const confirmed = notes.reduce((sum, object) => sum + (object.relations.confirmedOnWrite ?? 0), 0);
    expect(confirmed).toBe(box.state.records("noteTargets").filter((row) => !row.deletedAt).length);
    expect(linkRowReads.count).toBe(0);
    const event = await database.runEvent.findFirst({ where: { runId, kind: "verification" }, orderBy: { at: "desc" } });
    expect(event?.message).toMatch(/confirmed one by one when written and not read again; verify again to re-read them/);
  });

  it("reads the link rows again on demand and reports a link removed since", async () => {
    const removed = box.state.records("noteTargets").find((row) => !row.deletedAt);
    if (!removed) throw new Error("the run wrote no link row");
    const response = await fetch(`${box.url}/rest/noteTargets/${String(removed.id)}`, { method: "DELETE", headers: { Authorization: `Bearer ${API_KEY}` } });
    expect(response.ok).toBe(true);

    const deep = await verifyRun(database, runId, { resolveSession: migration.resolver });
    expect(linkRowReads.count).toBeGreaterThan(0);
    expect(deep.objects.every((object) => (object.relations.confirmedOnWrite ?? 0) === 0)).toBe(true);
    expect(deep.clean).toBe(false);
    expect(deep.discrepancies.join(" ")).toMatch(/relation.* not intact/);
  });
});
