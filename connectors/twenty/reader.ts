// ConnectorSession.read/count for Twenty (reference §2.1–§2.3): cursor pagination through the
// shared paginate(), ordered by createdAt (id is Twenty's tie-breaker) so records created while
// a read runs land after the cursor instead of shifting pages; `since` is an updatedAt filter.
import type { HttpClient } from "@/connectors/shared/http-client";
import { chunks } from "@/connectors/shared/chunks";
import { paginate } from "@/connectors/shared/paginate";
import { escapeHtml, sinceInstant } from "@/connectors/shared/values";
import type { CanonicalRecord, ReadOptions, RecordPage, UserRef } from "@/connectors/types";
import { MAX_PAGE_SIZE, fetchAllRecords, fetchRecordsPage } from "./api";
import { decodeCursor, encodeCursor } from "./cursor";
import { NOTE_THREAD_FIELDS } from "./describe";
import type { TwentyNoteThreadPlan, TwentyObjectPlan } from "./describe";
import { gteFilter, inFilter } from "./filters";
import { recordFromTwenty } from "./mappers/record";
import type { MemberDirectory } from "./mappers/record";
import { richTextFromTwenty } from "./mappers/rich-text";
import { dateTimeFromTwenty } from "./mappers/scalars";
import type { TwentyRecord } from "./raw-schemas";
import type { TwentyTargetLinkModel } from "./metadata";

const ORDER_BY = "createdAt[AscNullsFirst]";

export type ReaderDeps = { client: HttpClient; members: () => Promise<MemberDirectory> };

/** Note threads to attach to the records read: the child plans asked for, the notes object's plan and its link model. */
export type NoteThreadsToRead = { plans: TwentyNoteThreadPlan[]; notes: TwentyObjectPlan; link: TwentyTargetLinkModel };

/** Ids per `in` filter: 60 UUIDs keep the query string near 2.5 kB. */
const IDS_PER_FILTER = 60;

function sinceFilter(since: string | null | undefined): string | null {
  const instant = sinceInstant(since);
  // §2.2 example: updatedAt[gte]:"2025-01-01T00:00:00Z". Twenty sets updatedAt on create too.
  return instant === null ? null : gteFilter("updatedAt", instant);
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

/** The note's author: the workspace member who wrote it, else the actor (API key, import) as a user no mapping names, so the fallback user applies. */
function noteAuthor(raw: TwentyRecord, members: MemberDirectory): UserRef | null {
  const actor = raw.createdBy as { source?: unknown; workspaceMemberId?: unknown; name?: unknown } | null | undefined;
  if (!actor || typeof actor !== "object") return null;
  if (typeof actor.workspaceMemberId === "string" && actor.workspaceMemberId !== "")
    return members.byId.get(actor.workspaceMemberId) ?? { id: actor.workspaceMemberId, email: null };
  const source = typeof actor.source === "string" && actor.source !== "" ? actor.source : "UNKNOWN";
  return { id: `actor:${source}`, email: null, ...(typeof actor.name === "string" && actor.name !== "" ? { name: actor.name } : {}) };
}

function noteThreadRecord(raw: TwentyRecord, key: string, notes: TwentyObjectPlan, members: MemberDirectory): CanonicalRecord {
  const title = typeof raw.title === "string" && raw.title.trim() !== "" ? raw.title.trim() : null;
  const bodyField = notes.fields.find((field) => field.description.type === "html" && field.part === "value");
  const body = bodyField ? richTextFromTwenty(raw[bodyField.field.name]) : null;
  const html = [title ? `<p><strong>${escapeHtml(title)}</strong></p>` : null, body].filter((part): part is string => part !== null).join("");
  return {
    id: raw.id,
    objectType: key,
    createdAt: dateTimeFromTwenty(raw.createdAt),
    updatedAt: dateTimeFromTwenty(raw.updatedAt),
    fields: { [NOTE_THREAD_FIELDS.title]: title, [NOTE_THREAD_FIELDS.body]: html === "" ? null : html, [NOTE_THREAD_FIELDS.author]: noteAuthor(raw, members) },
  };
}

/** Notes linked to each parent, oldest first, per child key: noteTargets rows by the parent's column (§4), then the notes by id. */
async function noteThreads(
  client: HttpClient,
  threads: NoteThreadsToRead,
  parentIds: string[],
  members: MemberDirectory,
): Promise<Map<string, Record<string, CanonicalRecord[]>>> {
  const byParent = new Map<string, Record<string, CanonicalRecord[]>>();
  for (const thread of threads.plans) {
    const noteIdsByParent = new Map<string, string[]>();
    for (const ids of chunks(parentIds, IDS_PER_FILTER)) {
      for (const row of await fetchAllRecords(client, threads.link.joinObject, inFilter(thread.column, ids))) {
        const parent = row[thread.column];
        const note = row[threads.link.parentColumn];
        if (typeof parent === "string" && typeof note === "string") noteIdsByParent.set(parent, [...(noteIdsByParent.get(parent) ?? []), note]);
      }
    }
    const noteIds = [...new Set([...noteIdsByParent.values()].flat())];
    const notes = new Map<string, TwentyRecord>();
    for (const ids of chunks(noteIds, IDS_PER_FILTER))
      for (const raw of await fetchAllRecords(client, threads.notes.object.namePlural, inFilter("id", ids))) notes.set(raw.id, raw);
    for (const parentId of parentIds) {
      const children = (noteIdsByParent.get(parentId) ?? [])
        .flatMap((id) => notes.get(id) ?? [])
        .map((raw) => noteThreadRecord(raw, thread.key, threads.notes, members))
        .sort((a, b) => (a.createdAt ?? "").localeCompare(b.createdAt ?? ""));
      byParent.set(parentId, { ...byParent.get(parentId), [thread.key]: children });
    }
  }
  return byParent;
}

export async function* readRecords(
  deps: ReaderDeps,
  plan: TwentyObjectPlan,
  link: TwentyTargetLinkModel | null,
  options: ReadOptions = {},
  threads: NoteThreadsToRead | null = null,
): AsyncGenerator<RecordPage> {
  // §2.1: 200 a page by default (one token each); an older server clamps it to 60 without an error.
  const pageSize = Math.min(Math.max(1, Math.floor(options.pageSize ?? MAX_PAGE_SIZE)), MAX_PAGE_SIZE);
  const filter = sinceFilter(options.since);
  const sample = options.sample;
  const needsMembers = plan.fields.some((field) => field.description.type === "user") || (threads?.plans.length ?? 0) > 0;
  const members = needsMembers ? await deps.members() : { byId: new Map(), byEmail: new Map() };
  const start = decodeCursor(options.cursor);
  if (sample !== undefined && start.read >= sample) return;

  const pages = paginate<CanonicalRecord>(async (cursor) => {
    const position = cursor === null ? start : decodeCursor(cursor);
    const limit = sample === undefined ? pageSize : Math.min(pageSize, sample - position.read);
    const page = await fetchRecordsPage(deps.client, plan.object.namePlural, { limit, after: position.after, filter, orderBy: ORDER_BY });
    const raws = sample === undefined ? page.records : page.records.slice(0, sample - position.read);
    const withTargets = link !== null && plan.targets.length > 0 && options.separateRelations !== false;
    const targets = withTargets
      ? await linkedTargets(
          deps.client,
          link,
          raws.map((raw) => raw.id),
        )
      : null;
    const children =
      threads && threads.plans.length > 0
        ? await noteThreads(
            deps.client,
            threads,
            raws.map((raw) => raw.id),
            members,
          )
        : null;
    const records = raws.map((raw) => {
      const record = recordFromTwenty(raw, plan, members, targets?.get(raw.id));
      // Link rows not read: their fields are absent (unknown), not empty.
      if (options.separateRelations === false) for (const target of plan.targets) delete record.fields[target.key];
      const attached = children?.get(raw.id);
      return attached ? { ...record, children: attached } : record;
    });
    const read = position.read + records.length;
    const more = page.hasNextPage && page.endCursor !== null && records.length > 0 && (sample === undefined || read < sample);
    return { items: records, nextCursor: more ? encodeCursor({ after: page.endCursor, read }) : null };
  }, options.cursor ?? null);

  for await (const page of pages) yield { records: page.items, nextCursor: page.nextCursor };
}
