// The migration report: one self-contained HTML document per migration a support manager can
// print or forward — what each run migrated per object, the warnings and failures by record name,
// the verification, the settings Ferry changed (and whether it put them back), and what does not
// migrate. loadMigrationReport reads it (scoped like every lib/runs loader); renderMigrationReport
// is pure, and escapes every value: record fields are user text.
import { failedLinkCount, migrationFailures } from "@/lib/migration/record-map";
import type { SessionResolver } from "@/lib/migration/sessions";
import type { Database } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { formatDateTime } from "@/lib/format-date";
import { parseVerification, type VerificationReport } from "@/lib/migration/engine";
import { listSettingChanges, type MigrationSettingChanges, type SettingChangeView } from "@/lib/settings/changes";
import { findMigration, type RunAccess } from "./access";
import { WARNING_ACTION_LABELS } from "./csv";
import { formatDuration, willNotMigrateSentences } from "./full-run-summary";
import { nextStepFor, runOutcome } from "./outcome";

/** Warnings and failures listed in the report; the run's CSVs hold them all. */
export const REPORT_ROWS = 1_000;

export type ReportObjectRow = {
  objectType: string;
  targetObjectType: string;
  selected: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  repaired: number;
  valueDropped: number;
};
export type ReportRun = {
  id: string;
  mode: string;
  status: string;
  failedRecords: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  objects: ReportObjectRow[];
};
export type ReportFailure = { objectType: string; sourceId: string; sourceName: string | null; errorCode: string | null; reason: string; at: Date };
export type ReportWarning = {
  runMode: string;
  objectType: string;
  sourceId: string;
  sourceName: string | null;
  field: string;
  original: string;
  action: string;
  details: string;
};

export type MigrationReportData = {
  migration: { id: string; name: string; organizationName: string; sourceLabel: string; targetLabel: string };
  generatedAt: Date;
  runs: ReportRun[];
  /** Records whose latest attempt failed (the record map's current state), by record. */
  failures: { rows: ReportFailure[]; total: number };
  warnings: { rows: ReportWarning[]; total: number };
  verification: VerificationReport | null;
  settings: MigrationSettingChanges;
  willNotMigrate: string[];
};

/** What the report reads of each run: its outcome and per-object counts (the verification for the latest verified run). */
const REPORT_RUN_SELECT = {
  id: true,
  mode: true,
  status: true,
  failedRecords: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  verification: true,
  objects: {
    orderBy: { position: "asc" },
    select: {
      objectType: true,
      targetObjectType: true,
      total: true,
      created: true,
      updated: true,
      skipped: true,
      failed: true,
      repaired: true,
      valueDropped: true,
    },
  },
} as const satisfies Prisma.RunSelect;

const REPORT_WARNING_SELECT = {
  objectType: true,
  sourceId: true,
  sourceName: true,
  field: true,
  original: true,
  action: true,
  message: true,
  run: { select: { mode: true } },
} as const satisfies Prisma.RecordWarningSelect;

function reportFailureOf(link: Awaited<ReturnType<typeof migrationFailures>>[number]): ReportFailure {
  return {
    objectType: link.objectType,
    sourceId: link.sourceId,
    sourceName: link.sourceName,
    errorCode: link.errorCode,
    reason: link.errorMessage ?? "No reason recorded",
    at: link.updatedAt,
  };
}

function reportWarningOf(warning: Prisma.RecordWarningGetPayload<{ select: typeof REPORT_WARNING_SELECT }>): ReportWarning {
  return {
    runMode: warning.run.mode,
    objectType: warning.objectType,
    sourceId: warning.sourceId,
    sourceName: warning.sourceName,
    field: warning.field,
    original: warning.original,
    action: WARNING_ACTION_LABELS[warning.action] ?? warning.action,
    details: warning.message,
  };
}

export async function loadMigrationReport(
  database: Database,
  access: RunAccess,
  migrationId: string,
  options: { resolveSession?: SessionResolver; now?: Date } = {},
): Promise<MigrationReportData> {
  const migration = await findMigration(database, access, migrationId);
  const [organization, runs, failures, failuresTotal, warnings, warningsTotal, settings, willNotMigrate] = await Promise.all([
    database.organization.findUniqueOrThrow({ where: { id: migration.organizationId }, select: { name: true } }),
    database.run.findMany({ where: { migrationId }, orderBy: { createdAt: "asc" }, select: REPORT_RUN_SELECT }),
    migrationFailures(database, migrationId, REPORT_ROWS),
    failedLinkCount(database, migrationId),
    database.recordWarning.findMany({
      where: { run: { migrationId } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: REPORT_ROWS,
      select: REPORT_WARNING_SELECT,
    }),
    database.recordWarning.count({ where: { run: { migrationId } } }),
    listSettingChanges(database, migrationId),
    // Names what the plan leaves out: one request for the source's schema.
    willNotMigrateSentences(database, access, migrationId, { resolveSession: options.resolveSession }),
  ]);
  const verified = [...runs].reverse().find((run) => run.verification);
  return {
    migration: {
      id: migration.id,
      name: migration.name,
      organizationName: organization.name,
      sourceLabel: migration.sourceConnection?.label ?? "Source",
      targetLabel: migration.targetConnection?.label ?? "Target",
    },
    generatedAt: options.now ?? new Date(),
    runs: runs.map((run) => ({
      id: run.id,
      mode: run.mode,
      status: run.status,
      failedRecords: run.failedRecords,
      createdAt: run.createdAt,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      objects: run.objects.map(({ total, ...object }) => ({ ...object, selected: total })),
    })),
    failures: {
      rows: failures.map(reportFailureOf),
      total: failuresTotal,
    },
    warnings: {
      rows: warnings.map(reportWarningOf),
      total: warningsTotal,
    },
    verification: parseVerification(verified?.verification ?? null),
    settings,
    willNotMigrate,
  };
}

/** "ferry-report-support-desk-2026-12-07.html" */
export function reportFilename(data: Pick<MigrationReportData, "migration" | "generatedAt">): string {
  const slug =
    data.migration.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "migration";
  return `ferry-report-${slug}-${data.generatedAt.toISOString().slice(0, 10)}.html`;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: string | number | null | undefined): string {
  return String(value ?? "").replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]);
}

/** A table; every cell is escaped text. */
function table(header: string[], rows: (string | number | null)[][], numeric: number[] = []): string {
  const cell = (tag: "th" | "td", value: string | number | null, index: number) =>
    `<${tag}${numeric.includes(index) ? ' class="n"' : ""}>${escapeHtml(typeof value === "number" ? value.toLocaleString("en") : value)}</${tag}>`;
  return `<table><thead><tr>${header.map((title, index) => cell("th", title, index)).join("")}</tr></thead><tbody>${rows.map((row) => `<tr>${row.map((value, index) => cell("td", value, index)).join("")}</tr>`).join("")}</tbody></table>`;
}

function recordName(row: { sourceName: string | null; sourceId: string }): string {
  return row.sourceName ? `${row.sourceName} (${row.sourceId})` : row.sourceId;
}

function duration(run: ReportRun): string {
  if (!run.startedAt || !run.finishedAt) return "—";
  return formatDuration((run.finishedAt.getTime() - run.startedAt.getTime()) / 1000);
}

function more(shown: number, total: number, csv: string): string {
  return total > shown
    ? `<p class="muted">The first ${shown.toLocaleString("en")} of ${total.toLocaleString("en")}; the run dashboard's ${escapeHtml(csv)} lists them all.</p>`
    : "";
}

function runsSection(runs: ReportRun[]): string {
  if (runs.length === 0) return "<h2>Runs</h2><p>No run yet.</p>";
  const overview = table(
    ["Run", "Mode", "Status", "Started", "Finished", "Duration"],
    runs.map((run) => [
      run.id,
      run.mode,
      runOutcome(run.status, run.failedRecords).label,
      formatDateTime(run.startedAt ?? run.createdAt),
      formatDateTime(run.finishedAt),
      duration(run),
    ]),
  );
  const perObject = runs
    .map((run) => {
      const rows = run.objects.map((object) => [
        object.targetObjectType ? `${object.objectType} → ${object.targetObjectType}` : object.objectType,
        object.selected,
        object.created,
        object.updated,
        object.skipped,
        object.failed,
        object.repaired,
        object.valueDropped,
      ]);
      return `<h3>${escapeHtml(`${run.mode.charAt(0).toUpperCase()}${run.mode.slice(1)} run ${run.id} — ${runOutcome(run.status, run.failedRecords).label}`)}</h3>${rows.length === 0 ? "<p>No objects.</p>" : table(["Object", "Selected", "Created", "Updated", "Skipped", "Failed", "Repaired", "Value dropped"], rows, [1, 2, 3, 4, 5, 6, 7])}`;
    })
    .join("");
  return `<h2>Runs</h2>${overview}<h2>What was migrated, per object</h2>${perObject}`;
}

function failuresSection(failures: MigrationReportData["failures"]): string {
  if (failures.total === 0) return "<h2>Failures</h2><p>No record failed.</p>";
  return `<h2>Failures (${failures.total.toLocaleString("en")})</h2><p class="muted">Records whose latest attempt failed, with the reason and what to do next.</p>${table(
    ["Object", "Record", "Reason", "Next step"],
    failures.rows.map((row) => [row.objectType, recordName(row), row.reason, nextStepFor(row.errorCode)]),
  )}${more(failures.rows.length, failures.total, "Failures CSV")}`;
}

function warningsSection(warnings: MigrationReportData["warnings"]): string {
  if (warnings.total === 0) return "<h2>Warnings</h2><p>No record was written with a repaired or dropped value.</p>";
  return `<h2>Warnings (${warnings.total.toLocaleString("en")})</h2><p class="muted">Records written with a repaired value or without one, by run (a demo's records are written again by the full run); the original value is kept here.</p>${table(
    ["Run", "Object", "Record", "Field", "Original value", "What was done", "Details"],
    warnings.rows.map((row) => [row.runMode, row.objectType, recordName(row), row.field, row.original, row.action, row.details]),
  )}${more(warnings.rows.length, warnings.total, "Warnings CSV")}`;
}

function verificationSection(verification: VerificationReport | null): string {
  if (!verification) return "<h2>Verification</h2><p>No run has been verified yet.</p>";
  const list = (items: string[]) => (items.length === 0 ? "" : `<ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join("")}</ul>`);
  return `<h2>Verification</h2><p><strong>${verification.clean ? "Clean: every migrated record was found in the target as expected." : "Discrepancies found."}</strong> Checked ${escapeHtml(formatDateTime(verification.checkedAt))} (run ${escapeHtml(verification.runId)}).</p>${table(
    ["Object", "Selected", "Linked", "Found in target", "Missing"],
    verification.objects.map((object) => [object.objectType, object.selected, object.linked, object.found, object.missing.length]),
    [1, 2, 3, 4],
  )}${list([...verification.discrepancies, ...verification.objects.flatMap((object) => object.discrepancies)])}${list(verification.notes)}`;
}

const SETTING_STATUS_WORDS: Record<string, string> = {
  applied: "Not restored yet",
  restored: "Restored",
  restore_failed: "Restore failed",
  gone: "No longer exists",
};

function settingsSection(settings: MigrationSettingChanges): string {
  const settingRows = [...settings.outstanding, ...settings.restored];
  const rows = (views: SettingChangeView[], status: (view: SettingChangeView) => string) =>
    views.map((view) => [view.label, formatDateTime(view.createdAt), status(view), view.error]);
  const changed =
    settingRows.length === 0
      ? "<p>Ferry changed no setting.</p>"
      : table(
          ["Setting", "Changed", "Status", "Error"],
          rows(settingRows, (view) =>
            view.status === "restored" ? `Restored ${formatDateTime(view.restoredAt)}` : (SETTING_STATUS_WORDS[view.status] ?? view.status),
          ),
        );
  const added =
    settings.additions.length === 0
      ? ""
      : `<h3>Fields and objects Ferry created (kept)</h3>${table(
          ["Addition", "Created", "Status", "Error"],
          rows(settings.additions, () => "Kept"),
        )}`;
  return `<h2>Settings Ferry changed</h2>${changed}${added}`;
}

function notMigratedSection(sentences: string[]): string {
  return `<h2>What does not migrate</h2>${sentences.length === 0 ? "<p>Nothing left out.</p>" : `<ul>${sentences.map((sentence) => `<li>${escapeHtml(sentence)}</li>`).join("")}</ul>`}`;
}

const STYLE = `body{font:13px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#0f172a;max-width:1100px;margin:24px auto;padding:0 16px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:28px 0 8px;border-bottom:1px solid #e2e8f0;padding-bottom:4px}h3{font-size:13px;margin:16px 0 6px}
table{border-collapse:collapse;width:100%;margin:4px 0}th,td{border:1px solid #e2e8f0;padding:3px 6px;text-align:left;vertical-align:top;overflow-wrap:break-word}
th{background:#f8fafc;font-weight:600}.n{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#64748b}ul{margin:4px 0;padding-left:20px}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}`;

/** The whole report as one HTML document (no scripts, no external resources). */
export function renderMigrationReport(data: MigrationReportData): string {
  const { migration } = data;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`Migration report: ${migration.name}`)}</title><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(`Migration report: ${migration.name}`)}</h1>
<p class="muted">${escapeHtml(`${migration.sourceLabel} → ${migration.targetLabel} · ${migration.organizationName} · generated ${formatDateTime(data.generatedAt)} by Ferry`)}</p>
${runsSection(data.runs)}
${failuresSection(data.failures)}
${warningsSection(data.warnings)}
${verificationSection(data.verification)}
${settingsSection(data.settings)}
${notMigratedSection(data.willNotMigrate)}
</body></html>
`;
}
