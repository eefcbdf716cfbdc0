import { pageTitle } from "@/app/_components/page-title";
import { db } from "@/lib/db";
import { requireOrgContext } from "@/lib/auth/session";
import { refusalReason } from "@/lib/auth/roles";
import { AUDIT_KINDS, AUDIT_PAGE_SIZE, auditFilterSchema, auditKindLabel, listAuditEntries } from "@/lib/audit-log";
import { Alert, Button, Card, Field, Input, PageHeader, Select } from "@/app/_components/ui";
import { AuditLogTable } from "./audit-log-table";

export const generateMetadata = pageTitle("auditLog");

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function firstValues(params: Record<string, string | string[] | undefined>) {
  return Object.fromEntries(["userId", "kind", "from", "to"].map((key) => [key, [params[key]].flat()[0] ?? ""]));
}

export default async function AuditLogPage({ searchParams }: { searchParams: SearchParams }) {
  const context = await requireOrgContext();
  const refusal = refusalReason(context, "members");
  if (refusal) {
    return (
      <>
        <PageHeader title="Audit log" />
        <Alert tone="info">{refusal}</Alert>
      </>
    );
  }
  const raw = firstValues(await searchParams);
  const parsed = auditFilterSchema.safeParse(raw);
  const filter = parsed.success ? raw : {};
  const { entries, total, authors } = await listAuditEntries(db(), context, filter);
  const query = new URLSearchParams(Object.entries(filter).filter(([, value]) => value)).toString();
  return (
    <>
      <PageHeader
        title="Audit log"
        description={`Who did what in ${context.organization.name}, and when: connections, members and roles, migrations, fixes on targets, confirmations and runs. Never an API key or a record's content.`}
        actions={
          <a
            href={`/api/audit-log.csv${query ? `?${query}` : ""}`}
            className="inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50"
            download
          >
            Download CSV
          </a>
        }
      />
      {parsed.success ? null : (
        <div className="mb-3">
          <Alert tone="error">{parsed.error.issues[0]?.message ?? "Those filters are not valid."} Showing every entry.</Alert>
        </div>
      )}
      <Card className="mb-4">
        <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Filter the audit log">
          <Field label="User" htmlFor="audit-user">
            <Select id="audit-user" name="userId" defaultValue={String(filter.userId ?? "")}>
              <option value="">Everyone</option>
              {authors.map((author) => (
                <option key={author.userId} value={author.userId}>
                  {author.name} ({author.email})
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Action" htmlFor="audit-kind">
            <Select id="audit-kind" name="kind" defaultValue={String(filter.kind ?? "")}>
              <option value="">Every action</option>
              {Object.entries(AUDIT_KINDS).map(([kind, label]) => (
                <option key={kind} value={kind}>
                  {label}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="From" htmlFor="audit-from">
            <Input id="audit-from" name="from" type="date" defaultValue={String(filter.from ?? "")} />
          </Field>
          <Field label="To" htmlFor="audit-to">
            <Input id="audit-to" name="to" type="date" defaultValue={String(filter.to ?? "")} />
          </Field>
          <Button type="submit" variant="secondary">
            Apply
          </Button>
          {query ? (
            <a href="/audit-log" className="pb-1.5 text-sm text-indigo-700 hover:underline">
              Clear filters
            </a>
          ) : null}
        </form>
      </Card>
      <Card
        title={
          total > entries.length
            ? `Newest ${entries.length} of ${total.toLocaleString("en")} entries`
            : `${total.toLocaleString("en")} ${total === 1 ? "entry" : "entries"}`
        }
        description={total > AUDIT_PAGE_SIZE ? "Narrow the filters, or download the CSV for every entry." : undefined}
      >
        <AuditLogTable
          entries={entries.map((entry) => ({
            id: entry.id,
            at: entry.at.toISOString(),
            user: entry.userName,
            email: entry.userEmail,
            kind: entry.kind,
            action: auditKindLabel(entry.kind),
            summary: entry.summary,
            migrationId: entry.migrationId,
          }))}
        />
      </Card>
    </>
  );
}
