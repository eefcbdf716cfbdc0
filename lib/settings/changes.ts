// What Ferry changed in a connected system for a migration (prerequisite fixes), recorded as
// SettingChange rows the moment a fix reports it, so the change outlives the process, the wizard
// state and the run. Settings are put back through the connector's restoreSettings: by the user
// ("Restore now"), when the migration completes its full run, when it is deleted, and at the end
// of a CLI run. Additions (fields, objects Ferry created) are only listed: removing them could
// take data with them.
import { z } from "zod";
import type { SystemChange } from "@/connectors/types";
import type { Database } from "@/lib/db";
import { UserFacingError } from "@/lib/errors";
import { parseJsonColumn } from "@/lib/migration/database";
import type { SessionResolver } from "@/lib/migration/sessions";

export const SETTING_CHANGE_STATUSES = ["applied", "restored", "restore_failed", "gone"] as const;
export type SettingChangeStatus = (typeof SETTING_CHANGE_STATUSES)[number];
/** Settings Ferry still owes the system. */
const OUTSTANDING: SettingChangeStatus[] = ["applied", "restore_failed"];

const previousSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).nullable();

export type SettingChangeView = {
  id: string;
  kind: "setting" | "addition";
  label: string;
  status: SettingChangeStatus;
  error: string | null;
  createdAt: string;
  restoredAt: string | null;
};

export type MigrationSettingChanges = {
  /** Settings changed and not restored yet (applied, or a restore that failed). */
  outstanding: SettingChangeView[];
  restored: SettingChangeView[];
  /** Fields and objects Ferry created: never removed automatically. */
  additions: SettingChangeView[];
};

/**
 * Records what a fix changed. A setting changed again (the fix applied twice) keeps its first
 * row: that one holds the state from before Ferry touched it.
 */
export async function recordFixChanges(
  database: Database,
  input: { migrationId: string; connectionId: string; fixId: string; changes: SystemChange[] },
): Promise<number> {
  if (input.changes.length === 0) return 0;
  const known = await database.settingChange.findMany({
    where: {
      migrationId: input.migrationId,
      connectionId: input.connectionId,
      ref: { in: input.changes.map((change) => change.ref) },
      status: { in: OUTSTANDING },
    },
    select: { ref: true, kind: true },
  });
  const seen = new Set(known.map((row) => `${row.kind}|${row.ref}`));
  const fresh = input.changes.filter((change) => !seen.has(`${change.kind}|${change.ref}`));
  if (fresh.length === 0) return 0;
  await database.settingChange.createMany({
    data: fresh.map((change) => ({
      migrationId: input.migrationId,
      connectionId: input.connectionId,
      fixId: input.fixId,
      kind: change.kind,
      ref: change.ref,
      label: change.label,
      previous: change.previous === null ? null : JSON.stringify(change.previous),
    })),
  });
  return fresh.length;
}

function toView(row: {
  id: string;
  kind: string;
  label: string;
  status: string;
  error: string | null;
  createdAt: Date;
  restoredAt: Date | null;
}): SettingChangeView {
  return {
    id: row.id,
    kind: row.kind === "addition" ? "addition" : "setting",
    label: row.label,
    status: (SETTING_CHANGE_STATUSES as readonly string[]).includes(row.status) ? (row.status as SettingChangeStatus) : "applied",
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    restoredAt: row.restoredAt?.toISOString() ?? null,
  };
}

/** Every change recorded for the migration; call only for a migration checked to be the caller's. */
export async function listSettingChanges(database: Database, migrationId: string): Promise<MigrationSettingChanges> {
  const rows = await database.settingChange.findMany({
    where: { migrationId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, kind: true, label: true, status: true, error: true, createdAt: true, restoredAt: true },
  });
  const views = rows.map(toView);
  return {
    outstanding: views.filter((view) => view.kind === "setting" && OUTSTANDING.includes(view.status)),
    restored: views.filter((view) => view.kind === "setting" && !OUTSTANDING.includes(view.status)),
    additions: views.filter((view) => view.kind === "addition"),
  };
}

export type RestoreOutcome = {
  restored: string[];
  /** Already as they were, or no longer in the system: nothing left to do. */
  settled: string[];
  failed: { label: string; message: string }[];
};

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

export function restoreSummary(outcome: RestoreOutcome): string {
  const parts: string[] = [];
  if (outcome.restored.length > 0)
    parts.push(
      `Undid ${outcome.restored.length} change${outcome.restored.length === 1 ? "" : "s"} Ferry had made: ${outcome.restored.map(lowerFirst).join("; ")}.`,
    );
  if (outcome.settled.length > 0)
    parts.push(`${outcome.settled.length} ${outcome.settled.length === 1 ? "was" : "were"} already as before (or no longer exist).`);
  if (outcome.failed.length > 0)
    parts.push(`Could not undo: ${outcome.failed.map((failure) => `${lowerFirst(failure.label)} (${failure.message})`).join("; ")}.`);
  return parts.join(" ") || "Nothing to restore: Ferry has no setting of this migration left changed.";
}

/**
 * Puts back every outstanding setting of the migration, per connection, through the connector.
 * Idempotent (a restored row is never sent again) and safe to call from several places at once:
 * a connector reports a setting already as before as "unchanged".
 */
export async function restoreSettingChanges(database: Database, migrationId: string, options: { resolveSession: SessionResolver }): Promise<RestoreOutcome> {
  const outcome: RestoreOutcome = { restored: [], settled: [], failed: [] };
  const migration = await database.migration.findUnique({ where: { id: migrationId }, select: { organizationId: true } });
  if (!migration) return outcome;
  const rows = await database.settingChange.findMany({
    where: { migrationId, kind: "setting", status: { in: OUTSTANDING } },
    orderBy: { createdAt: "asc" },
    select: { id: true, connectionId: true, ref: true, label: true, previous: true },
  });
  const byConnection = new Map<string, typeof rows>();
  for (const row of rows) byConnection.set(row.connectionId, [...(byConnection.get(row.connectionId) ?? []), row]);
  for (const [connectionId, changes] of byConnection) {
    let results: Map<string, { status: string; message?: string }>;
    try {
      const session = await options.resolveSession(connectionId, migration.organizationId);
      if (!session.restoreSettings) throw new UserFacingError("this system cannot restore settings automatically; change them back by hand");
      const answers = await session.restoreSettings(
        changes.map((change) => ({ ref: change.ref, previous: parseJsonColumn(change.previous, previousSchema, null) })),
      );
      results = new Map(answers.map((answer) => [answer.ref, answer]));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      results = new Map(changes.map((change) => [change.ref, { status: "failed", message }]));
    }
    for (const change of changes) {
      const result = results.get(change.ref) ?? { status: "failed", message: "The system gave no answer for this setting." };
      const settled = result.status === "restored" || result.status === "unchanged" || result.status === "gone";
      await database.settingChange.update({
        where: { id: change.id },
        data: settled
          ? {
              status: result.status === "gone" ? "gone" : "restored",
              restoredAt: new Date(),
              error: result.status === "gone" ? (result.message ?? "No longer exists.") : null,
            }
          : { status: "restore_failed", error: result.message ?? "Unknown error" },
      });
      if (result.status === "restored") outcome.restored.push(change.label);
      else if (settled) outcome.settled.push(change.label);
      else outcome.failed.push({ label: change.label, message: result.message ?? "Unknown error" });
    }
  }
  return outcome;
}

/** How many settings of the migration Ferry still has to put back. */
export async function outstandingSettingCount(database: Database, migrationId: string): Promise<number> {
  return database.settingChange.count({ where: { migrationId, kind: "setting", status: { in: OUTSTANDING } } });
}
