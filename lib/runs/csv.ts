// CSV exports of a run's record map: failures with their reasons and what to do next, the
// warnings (records written with a repaired or left-out value, with the original value), and the
// source id → target id ledger. Streamed page by page (keyset on the row id), never loaded whole.
import type { Database } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { linkExportPage, runFailuresWhere, runLedgerWhere, type LinkExportRow } from "@/lib/migration/record-map";
import { findRun, type RunAccess } from "./access";
import { nextStepFor } from "./outcome";

export const CSV_PAGE_SIZE = 1_000;

/** One CSV cell: quoted when needed; a leading = + - @ is defused so spreadsheets do not run it as a formula. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: (string | number | boolean | null | undefined)[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

/** Pages of rows in id order; `read` fetches the page after `after` (null: the first). */
async function* pagesOf<Row extends { id: string }>(read: (after: string | null) => Promise<Row[]>): AsyncGenerator<Row[]> {
  let after: string | null = null;
  for (;;) {
    const page: Row[] = await read(after);
    if (page.length === 0) return;
    yield page;
    if (page.length < CSV_PAGE_SIZE) return;
    after = page[page.length - 1].id;
  }
}

function linkPages(database: Database, where: Prisma.RecordLinkWhereInput): AsyncGenerator<LinkExportRow[]> {
  return pagesOf((after) => linkExportPage(database, where, after, CSV_PAGE_SIZE));
}

const WARNING_CSV_SELECT = { id: true, objectType: true, sourceId: true, field: true, action: true, original: true, message: true, createdAt: true } as const;
type WarningCsvRow = Prisma.RecordWarningGetPayload<{ select: typeof WARNING_CSV_SELECT }>;

function streamOf<Row>(header: string[], pages: AsyncGenerator<Row[]>, row: (item: Row) => (string | number | null)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(csvLine(header)));
        return;
      }
      const next = await pages.next();
      if (next.done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(next.value.map((item) => csvLine(row(item))).join("")));
    },
    async cancel() {
      await pages.return(undefined);
    },
  });
}

export const FAILURES_CSV_HEADER = ["object_type", "source_id", "error_code", "reason", "next_step", "failed_at"];
export const WARNINGS_CSV_HEADER = ["object_type", "source_id", "field", "original_value", "what_was_done", "details", "at"];
/** The words for a warning's action in the CSV and the dashboard. */
export const WARNING_ACTION_LABELS: Record<string, string> = { repaired: "repaired", dropped: "value dropped" };
export const LEDGER_CSV_HEADER = [
  "object_type",
  "source_id",
  "target_object_type",
  "target_id",
  "status",
  "created_by_this_run",
  "error_code",
  "error_message",
  "updated_at",
];

/** Records this run failed, with their reasons. */

/** Every record-map entry this run settled or created (a later retry may have settled it since). */

export async function failuresCsv(database: Database, access: RunAccess, runId: string): Promise<{ filename: string; stream: ReadableStream<Uint8Array> }> {
  await findRun(database, access, runId);
  return {
    filename: `ferry-run-${runId}-failures.csv`,
    stream: streamOf(FAILURES_CSV_HEADER, linkPages(database, runFailuresWhere(runId)), (link) => [
      link.objectType,
      link.sourceId,
      link.errorCode,
      link.errorMessage,
      nextStepFor(link.errorCode),
      link.updatedAt.toISOString(),
    ]),
  };
}

/** Records this run wrote with a repaired value or without one, each warning with the original value. */
export async function warningsCsv(database: Database, access: RunAccess, runId: string): Promise<{ filename: string; stream: ReadableStream<Uint8Array> }> {
  await findRun(database, access, runId);
  const pages = pagesOf((after) =>
    database.recordWarning.findMany({
      where: { runId, ...(after ? { id: { gt: after } } : {}) },
      orderBy: { id: "asc" },
      take: CSV_PAGE_SIZE,
      select: WARNING_CSV_SELECT,
    }),
  );
  return {
    filename: `ferry-run-${runId}-warnings.csv`,
    stream: streamOf(WARNINGS_CSV_HEADER, pages, (warning: WarningCsvRow) => [
      warning.objectType,
      warning.sourceId,
      warning.field,
      warning.original,
      WARNING_ACTION_LABELS[warning.action] ?? warning.action,
      warning.message,
      warning.createdAt.toISOString(),
    ]),
  };
}

export async function ledgerCsv(database: Database, access: RunAccess, runId: string): Promise<{ filename: string; stream: ReadableStream<Uint8Array> }> {
  await findRun(database, access, runId);
  return {
    filename: `ferry-run-${runId}-ledger.csv`,
    stream: streamOf(LEDGER_CSV_HEADER, linkPages(database, runLedgerWhere(runId)), (link) => [
      link.objectType,
      link.sourceId,
      link.targetObjectType,
      link.targetId,
      link.status,
      link.createdByRunId === runId ? "yes" : "no",
      link.errorCode,
      link.errorMessage,
      link.updatedAt.toISOString(),
    ]),
  };
}
