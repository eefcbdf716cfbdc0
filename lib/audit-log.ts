// The organization's audit log: who did what and when. Entries are written by lib/ after a change
// succeeds, with a summary built from names and labels only (never a credential, token or value
// of a record). Read by members with the "members" permission (/audit-log and its CSV export).
import { z } from "zod";
import type { Database } from "./db";
import { requirePermission, type RoleView } from "./auth/roles";
import { csvLine } from "./runs/csv";

export const AUDIT_KINDS = {
  "connection.added": "Connection added",
  "connection.tested": "Connection tested",
  "connection.replaced": "Connection replaced",
  "connection.removed": "Connection removed",
  "invite.created": "Invitation sent",
  "invite.revoked": "Invitation withdrawn",
  "invite.accepted": "Invitation accepted",
  "member.role_changed": "Role changed",
  "member.removed": "Member removed",
  "role.created": "Custom role defined",
  "role.changed": "Custom role changed",
  "role.deleted": "Custom role deleted",
  "organization.renamed": "Organization renamed",
  "migration.created": "Migration created",
  "migration.deleted": "Migration deleted",
  "mapping.saved": "Mapping saved",
  "fix.applied": "Fix applied on the target",
  "confirmation.given": "Confirmation given",
  "confirmation.withdrawn": "Confirmation withdrawn",
  "settings.restored": "Settings restored",
  "run.started": "Run started",
  "run.paused": "Run paused",
  "run.resumed": "Run resumed",
  "run.cancelled": "Run cancelled",
  "run.rolled_back": "Run rolled back",
  "sync.changed": "Sync changed",
} as const;

export type AuditKind = keyof typeof AUDIT_KINDS;
const AUDIT_KIND_KEYS = Object.keys(AUDIT_KINDS) as [AuditKind, ...AuditKind[]];
export const auditKindSchema = z.enum(AUDIT_KIND_KEYS);

/** Who acts, in which organization: what every entry records about its author. */
export type AuditActor = { organizationId: string; user: { id: string; name: string; email: string } };

export function auditActor(context: { organization: { id: string }; user: { id: string; name: string; email: string } }): AuditActor {
  return { organizationId: context.organization.id, user: { id: context.user.id, name: context.user.name, email: context.user.email } };
}

const SUMMARY_MAX_CHARS = 500;

export type AuditInput = { kind: AuditKind; summary: string; migrationId?: string | null; runId?: string | null };

export async function recordAudit(database: Database, actor: AuditActor, entry: AuditInput, at = new Date()): Promise<void> {
  // The command line acts as "Ferry CLI", no account: its entries name it without a user id.
  const account = await database.user.findUnique({ where: { id: actor.user.id }, select: { id: true } });
  await database.auditEntry.create({
    data: {
      organizationId: actor.organizationId,
      userId: account?.id ?? null,
      userName: actor.user.name,
      userEmail: actor.user.email,
      kind: entry.kind,
      summary: entry.summary.length > SUMMARY_MAX_CHARS ? `${entry.summary.slice(0, SUMMARY_MAX_CHARS - 1)}…` : entry.summary,
      migrationId: entry.migrationId ?? null,
      runId: entry.runId ?? null,
      at,
    },
  });
}

const dayString = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-12-07.");

/** The page's filters, from its query string: empty values mean "any". */
export const auditFilterSchema = z.object({
  userId: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((value) => value || undefined),
  kind: z
    .union([auditKindSchema, z.literal("")])
    .optional()
    .transform((value) => value || undefined),
  from: z
    .union([dayString, z.literal("")])
    .optional()
    .transform((value) => value || undefined),
  to: z
    .union([dayString, z.literal("")])
    .optional()
    .transform((value) => value || undefined),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export const AUDIT_PAGE_SIZE = 200;

type Reader = { organization: { id: string }; role: RoleView };

function whereOf(reader: Reader, filter: AuditFilter) {
  const at: { gte?: Date; lt?: Date } = {};
  if (filter.from) at.gte = new Date(`${filter.from}T00:00:00.000Z`);
  // "to" is a whole day, inclusive.
  if (filter.to) at.lt = new Date(new Date(`${filter.to}T00:00:00.000Z`).getTime() + 24 * 60 * 60 * 1000);
  return {
    organizationId: reader.organization.id,
    ...(filter.userId ? { userId: filter.userId } : {}),
    ...(filter.kind ? { kind: filter.kind } : {}),
    ...(filter.from || filter.to ? { at } : {}),
  };
}

const ENTRY_SELECT = { id: true, at: true, userId: true, userName: true, userEmail: true, kind: true, summary: true, migrationId: true, runId: true } as const;

export type AuditEntryView = {
  id: string;
  at: Date;
  userId: string | null;
  userName: string;
  userEmail: string;
  kind: string;
  summary: string;
  migrationId: string | null;
  runId: string | null;
};

/** The newest entries matching the filter, and everyone who appears in the log (for the user filter). */
export async function listAuditEntries(
  database: Database,
  reader: Reader,
  input: unknown,
  limit = AUDIT_PAGE_SIZE,
): Promise<{ entries: AuditEntryView[]; total: number; authors: { userId: string; name: string; email: string }[] }> {
  requirePermission(reader, "members");
  const filter = auditFilterSchema.parse(input);
  const where = whereOf(reader, filter);
  const [entries, total, authors] = await Promise.all([
    database.auditEntry.findMany({ where, select: ENTRY_SELECT, orderBy: [{ at: "desc" }, { id: "desc" }], take: limit }),
    database.auditEntry.count({ where }),
    database.auditEntry.findMany({
      where: { organizationId: reader.organization.id, userId: { not: null } },
      distinct: ["userId"],
      select: { userId: true, userName: true, userEmail: true },
      orderBy: { userName: "asc" },
    }),
  ]);
  return { entries, total, authors: authors.map((author) => ({ userId: author.userId as string, name: author.userName, email: author.userEmail })) };
}

export function auditKindLabel(kind: string): string {
  return kind in AUDIT_KINDS ? AUDIT_KINDS[kind as AuditKind] : kind;
}

const CSV_EXPORT_LIMIT = 50_000;

/** Every matching entry (up to 50,000) as CSV, newest first. */
export async function auditCsv(database: Database, reader: Reader, input: unknown): Promise<{ filename: string; body: string }> {
  const { entries } = await listAuditEntries(database, reader, input, CSV_EXPORT_LIMIT);
  const lines = [csvLine(["time (UTC)", "user", "email", "action", "what", "migration id", "run id"])];
  for (const entry of entries)
    lines.push(csvLine([entry.at.toISOString(), entry.userName, entry.userEmail, auditKindLabel(entry.kind), entry.summary, entry.migrationId, entry.runId]));
  return { filename: `audit-log-${new Date().toISOString().slice(0, 10)}.csv`, body: lines.join("") };
}
