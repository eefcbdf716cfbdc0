// ConnectorSession.read/count for Twenty (reference §2.1–§2.3): cursor pagination through the
// shared paginate(), ordered by createdAt (id is Twenty's tie-breaker) so records created while
// a read runs land after the cursor instead of shifting pages; `since` is an updatedAt filter.
import type { HttpClient } from "@/connectors/shared/http-client";
import { paginate } from "@/connectors/shared/paginate";
import { ConnectorError } from "@/connectors/types";
import type { CanonicalRecord, ReadOptions, RecordPage } from "@/connectors/types";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, fetchAllRecords, fetchRecordsPage } from "./api";
import { decodeCursor, encodeCursor } from "./cursor";
import type { TwentyObjectPlan } from "./describe";
import { gteFilter, inFilter } from "./filters";
import { recordFromTwenty } from "./mappers/record";
import type { MemberDirectory } from "./mappers/record";
import type { TwentyTargetLinkModel } from "./metadata";

const ORDER_BY = "createdAt[AscNullsFirst]";

export type ReaderDeps = { client: HttpClient; members: () => Promise<MemberDirectory> };

function sinceFilter(since: string | null | undefined): string | null {
  if (!since) return null;
  const parsed = Date.parse(since);
  if (Number.isNaN(parsed)) throw new ConnectorError("VALIDATION", `"${since}" is not a date and time`);
  // §2.2 example: updatedAt[gte]:"2025-01-01T00:00:00Z". Twenty sets updatedAt on create too.
  return gteFilter("updatedAt", new Date(parsed).toISOString());
}

/** §2.3: totalCount counts every row matching the filter, whatever the page size. */
export async function countRecords(client: HttpClient, plural: string, since?: string | null): Promise<number> {
  const page = await fetchRecordsPage(client, plural, { limit: 1, filter: sinceFilter(since) });
  if (page.totalCount !== null) return page.totalCount;
  return (await fetchAllRecords(client, plural, sinceFilter(since))).length;
}

/** Linked record ids of notes/tasks, per parent id and target object. */
async function linkedTargets(client: HttpClient, link: TwentyTargetLinkModel, parentIds: string[]): Promise<Map<string, Map<string, string[]>>> {
  const byParent = new Map<string, Map<string, string[]>>();
  if (parentIds.length === 0) return byParent;
  // §4: noteTargets/taskTargets rows, filtered by their parent column.
  for (const row of await fetchAllRecords(client, link.joinObject, inFilter(link.parentColumn, parentIds))) {
    const parent = row[link.parentColumn];
    if (typeof parent !== "string") continue;
    const targets = byParent.get(parent) ?? new Map<string, string[]>();
    for (const [target, column] of link.columns) {
      const id = row[column];
      if (typeof id === "string" && id !== "") targets.set(target, [...(targets.get(target) ?? []), id]);
    }
    byParent.set(parent, targets);
  }
  return byParent;
}

export async function* readRecords(deps: ReaderDeps, plan: TwentyObjectPlan, link: TwentyTargetLinkModel | null, options: ReadOptions = {}): AsyncGenerator<RecordPage> {
  const pageSize = Math.min(Math.max(1, Math.floor(options.pageSize ?? DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE);
  const filter = sinceFilter(options.since);
  const sample = options.sample;
  const needsMembers = plan.fields.some((field) => field.description.type === "user");
  const members = needsMembers ? await deps.members() : { byId: new Map(), byEmail: new Map() };
  const start = decodeCursor(options.cursor);
  if (sample !== undefined && start.read >= sample) return;

  const pages = paginate<CanonicalRecord>(async (cursor) => {
    const position = cursor === null ? start : decodeCursor(cursor);
    const limit = sample === undefined ? pageSize : Math.min(pageSize, sample - position.read);
    const page = await fetchRecordsPage(deps.client, plan.object.namePlural, { limit, after: position.after, filter, orderBy: ORDER_BY });
    const raws = sample === undefined ? page.records : page.records.slice(0, sample - position.read);
    const targets = link && plan.targets.length > 0 ? await linkedTargets(deps.client, link, raws.map((raw) => raw.id)) : null;
    const records = raws.map((raw) => recordFromTwenty(raw, plan, members, targets?.get(raw.id)));
    const read = position.read + records.length;
    const more = page.hasNextPage && page.endCursor !== null && records.length > 0 && (sample === undefined || read < sample);
    return { items: records, nextCursor: more ? encodeCursor({ after: page.endCursor, read }) : null };
  }, options.cursor ?? null);

  for await (const page of pages) yield { records: page.items, nextCursor: page.nextCursor };
}
