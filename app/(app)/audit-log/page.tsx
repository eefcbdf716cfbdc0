import { pageTitle } from "@/app/_components/page-title";
import { getLocale, getTranslations } from "next-intl/server";
import { db } from "@/lib/db";
import { formatNumber } from "@/lib/format-date";
import { refusalText } from "@/app/_components/refusal";
import { requireOrgContext } from "@/lib/auth/session";
import { AUDIT_KINDS, AUDIT_PAGE_SIZE, auditFilterSchema, auditKindLabel, listAuditEntries } from "@/lib/audit-log";

/** An action in the reader's language ("connection.added" → messages auditLog.kind.connection_added). */
function kindLabel(t: Awaited<ReturnType<typeof getTranslations<"auditLog">>>, kind: string): string {
  const key = `kind.${kind.replace(/\./g, "_")}` as "kind.connection_added";
  return t.has(key) ? t(key) : auditKindLabel(kind);
}
import { Alert, Button, Card, Field, Input, PageHeader, Select } from "@/app/_components/ui";
import { AuditLogTable } from "./audit-log-table";

export const generateMetadata = pageTitle("auditLog");

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function firstValues(params: Record<string, string | string[] | undefined>) {
  return Object.fromEntries(["userId", "kind", "from", "to"].map((key) => [key, [params[key]].flat()[0] ?? ""]));
}

export default async function AuditLogPage({ searchParams }: { searchParams: SearchParams }) {
  const context = await requireOrgContext();
  const [refusal, t, locale] = await Promise.all([refusalText(context, "members"), getTranslations("auditLog"), getLocale()]);
  if (refusal) {
    return (
      <>
        <PageHeader title={t("title")} />
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
        title={t("title")}
        description={t("description", { organization: context.organization.name })}
        actions={
          <a
            href={`/api/audit-log.csv${query ? `?${query}` : ""}`}
            className="inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50"
            download
          >
            {t("downloadCsv")}
          </a>
        }
      />
      {parsed.success ? null : (
        <div className="mb-3">
          <Alert tone="error">
            {parsed.error.issues[0]?.message ?? t("invalidFilters")} {t("showingAll")}
          </Alert>
        </div>
      )}
      <Card className="mb-4">
        <form method="get" className="flex flex-wrap items-end gap-3" aria-label={t("filterLabel")}>
          <Field label={t("user")} htmlFor="audit-user">
            <Select id="audit-user" name="userId" defaultValue={String(filter.userId ?? "")}>
              <option value="">{t("everyone")}</option>
              {authors.map((author) => (
                <option key={author.userId} value={author.userId}>
                  {author.name} ({author.email})
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t("action")} htmlFor="audit-kind">
            <Select id="audit-kind" name="kind" defaultValue={String(filter.kind ?? "")}>
              <option value="">{t("everyAction")}</option>
              {Object.keys(AUDIT_KINDS).map((kind) => (
                <option key={kind} value={kind}>
                  {kindLabel(t, kind)}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t("from")} htmlFor="audit-from">
            <Input id="audit-from" name="from" type="date" defaultValue={String(filter.from ?? "")} />
          </Field>
          <Field label={t("to")} htmlFor="audit-to">
            <Input id="audit-to" name="to" type="date" defaultValue={String(filter.to ?? "")} />
          </Field>
          <Button type="submit" variant="secondary">
            {t("apply")}
          </Button>
          {query ? (
            <a href="/audit-log" className="pb-1.5 text-sm text-indigo-700 hover:underline">
              {t("clear")}
            </a>
          ) : null}
        </form>
      </Card>
      <Card
        title={total > entries.length ? t("newest", { shown: entries.length, total: formatNumber(total, locale) }) : t("count", { count: total })}
        description={total > AUDIT_PAGE_SIZE ? t("narrow") : undefined}
      >
        <AuditLogTable
          entries={entries.map((entry) => ({
            id: entry.id,
            at: entry.at.toISOString(),
            user: entry.userName,
            email: entry.userEmail,
            kind: entry.kind,
            action: kindLabel(t, entry.kind),
            summary: entry.summary,
            migrationId: entry.migrationId,
          }))}
        />
      </Card>
    </>
  );
}
