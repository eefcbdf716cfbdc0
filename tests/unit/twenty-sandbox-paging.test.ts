// The Twenty sandbox answers list requests from indexes (ids in order, hash indexes, cached
// orderings) instead of sorting the whole object per page. These tests pin that the answers are
// exactly those of the straightforward implementation: project every row, filter, sortRecords,
// paginate — across random data, interleaved writes, filters, orders, limits and cursors.
import { describe, expect, it, vi } from "vitest";
import { seededRandom } from "@/connectors/shared/sandbox-kit";
import { TwentyHttpError } from "@/connectors/twenty/sandbox/errors";
import { bindFilter, filterMentions, matchesFilter, parseFilterQuery } from "@/connectors/twenty/sandbox/filter";
import { seededUuids } from "@/connectors/twenty/sandbox/ids";
import type { FieldMetadata } from "@/connectors/twenty/sandbox/objects";
import { encodeCursor, paginate, parseDepth, parseFields, parseLimit, parseOrderBy, singleParam, sortRecords } from "@/connectors/twenty/sandbox/query";
import { handleRecordsRequest } from "@/connectors/twenty/sandbox/records-api";
import { SortedIdSet } from "@/connectors/twenty/sandbox/sorted-ids";
import { TwentyStore, type FindManyOptions, type TwentyRecord } from "@/connectors/twenty/sandbox/store";

type Params = Record<string, string>;

function outcome(run: () => unknown): unknown {
  try {
    return { ok: run() };
  } catch (error) {
    if (error instanceof TwentyHttpError) return { status: error.status, body: error.body };
    throw error;
  }
}

function newStore(): TwentyStore {
  let tick = 0;
  // Several writes share a timestamp, so orders on dates have ties that id must break.
  const clock = () => new Date(Date.UTC(2025, 0, 1) + Math.floor((tick += 1) / 3) * 1000).toISOString();
  return new TwentyStore("Paging test key", seededUuids(7), clock);
}

function addField(store: TwentyStore, plural: string, field: Pick<FieldMetadata, "name" | "type"> & Partial<FieldMetadata>) {
  const object = store.objectByPlural(plural);
  if (!object) throw new Error(plural);
  store.metadata.addField(object.id, {
    label: field.name,
    description: null,
    icon: null,
    isCustom: true,
    isActive: true,
    isSystem: false,
    isNullable: true,
    isUnique: false,
    defaultValue: null,
    options: null,
    settings: null,
    isLabelSyncedWithName: false,
    relationTarget: null,
    ...field,
  });
}

function listViaApi(store: TwentyStore, plural: string, params: Params): unknown {
  return outcome(
    () =>
      handleRecordsRequest(store, { method: "GET", path: `/rest/${plural}`, segments: [plural], params: new URLSearchParams(params), body: undefined }).body,
  );
}

/**
 * The list answer computed the straightforward way, from every record (depth 0, all fields).
 * `sortedCache` holds the sorted matches per order and filter for one unchanged `all`.
 */
function listByReference(store: TwentyStore, plural: string, params: Params, all: TwentyRecord[], sortedCache = new Map<string, TwentyRecord[]>()): unknown {
  return outcome(() => {
    const search = new URLSearchParams(params);
    const object = store.objectByPlural(plural);
    if (!object) throw new Error(plural);
    const fields = store.metadata.activeFieldsOf(object.id);
    const limit = parseLimit(singleParam(search, "limit"));
    const orderBy = parseOrderBy(singleParam(search, "order_by"), fields, object.nameSingular);
    const raw = singleParam(search, "filter");
    const filter = raw ? parseFilterQuery(raw) : undefined;
    const bound = filter ? bindFilter(filter, { objectNameSingular: object.nameSingular, fields }) : null;
    const includeDeleted = filter ? filterMentions(filter, "deletedAt") : false;
    const cacheKey = JSON.stringify([orderBy, raw ?? null]);
    let sorted = sortedCache.get(cacheKey);
    if (!sorted) {
      const matching = all.filter((record) => includeDeleted || record.deletedAt === null).filter((record) => !bound || matchesFilter(bound, record));
      sorted = sortRecords(matching, orderBy);
      sortedCache.set(cacheKey, sorted);
    }
    const { page, pageInfo } = paginate(sorted, orderBy, {
      limit,
      startingAfter: singleParam(search, "starting_after"),
      endingBefore: singleParam(search, "ending_before"),
    });
    return { data: { [plural]: page }, pageInfo, totalCount: sorted.length };
  });
}

/** The same request answered by the store's scan (the pre-index implementation, kept as its fallback). */
function listByScan(store: TwentyStore, plural: string, params: Params): unknown {
  return outcome(() => {
    const search = new URLSearchParams(params);
    const object = store.objectByPlural(plural);
    if (!object) throw new Error(plural);
    const fields = store.metadata.activeFieldsOf(object.id);
    const raw = singleParam(search, "filter");
    const filter = raw ? parseFilterQuery(raw) : undefined;
    const options: FindManyOptions = {
      limit: parseLimit(singleParam(search, "limit")),
      orderBy: parseOrderBy(singleParam(search, "order_by"), fields, object.nameSingular),
      filter,
      startingAfter: singleParam(search, "starting_after"),
      endingBefore: singleParam(search, "ending_before"),
      depth: parseDepth(singleParam(search, "depth")),
      fields: parseFields(singleParam(search, "fields"), fields),
    };
    const bound = filter ? bindFilter(filter, { objectNameSingular: object.nameSingular, fields }) : null;
    const includeDeleted = filter ? filterMentions(filter, "deletedAt") : false;
    const scan = (store as unknown as { findManyByScan: (...args: unknown[]) => { records: unknown[]; pageInfo: unknown; totalCount: number } }).findManyByScan;
    const result = scan.call(store, object, fields, bound, includeDeleted, options);
    return { data: { [plural]: result.records }, pageInfo: result.pageInfo, totalCount: result.totalCount };
  });
}

const base64 = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value), "utf8").toString("base64");

const ORDERS = [
  undefined,
  "createdAt",
  "createdAt[DescNullsLast]",
  "score[DescNullsLast]",
  "score",
  "name.firstName[AscNullsLast],createdAt[DescNullsFirst]",
  "id[DescNullsFirst]",
  "id[AscNullsLast]",
  "id",
  "jobTitle,score[DescNullsFirst]",
  "emails.primaryEmail",
  "amount,createdAt",
  "amount[DescNullsFirst]",
];
const LIMITS = ["0", "1", "2", "7", "60", "200", "500", undefined];
const JOB_TITLES = ["Engineer", "Manager", "Designer", ""];

describe("Twenty sandbox list paging", () => {
  it("keeps ids in string order through inserts and deletes, chunk splits included", () => {
    const random = seededRandom(11);
    const ids = seededUuids(12);
    const set = new SortedIdSet();
    const reference = new Set<string>();
    const pool: string[] = [];
    for (let step = 0; step < 12_000; step += 1) {
      if (pool.length === 0 || random() < 0.7) {
        const id = random() < 0.1 && pool.length > 0 ? pool[Math.floor(random() * pool.length)] : ids();
        expect(set.add(id)).toBe(!reference.has(id));
        reference.add(id);
        pool.push(id);
      } else {
        const id = random() < 0.9 ? pool[Math.floor(random() * pool.length)] : ids();
        expect(set.delete(id)).toBe(reference.delete(id));
      }
      if (step % 1000 === 999) {
        const sorted = [...reference].sort();
        expect(set.size).toBe(sorted.length);
        expect([...set]).toEqual(sorted);
        for (let probe = 0; probe < 50; probe += 1) {
          const index = Math.floor(random() * sorted.length);
          expect(set.at(index)).toBe(sorted[index]);
          const end = index + Math.floor(random() * 700);
          expect(set.slice(index, end)).toEqual(sorted.slice(index, end));
          expect(set.has(sorted[index])).toBe(true);
        }
      }
    }
    // Emptying it entirely, then reuse.
    for (const id of [...reference]) set.delete(id);
    expect(set.size).toBe(0);
    expect([...set]).toEqual([]);
    set.add("b");
    set.add("a");
    expect([...set]).toEqual(["a", "b"]);
  });

  it("answers every list request like sorting and paginating the whole object, across interleaved writes", () => {
    const random = seededRandom(2026);
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
    const ids = seededUuids(99);
    const store = newStore();
    addField(store, "people", { name: "ferrySourceId", type: "TEXT", isUnique: true });
    addField(store, "people", { name: "score", type: "NUMBER" });
    // NUMERIC takes numbers and numeric strings, which order_by compares inconsistently once mixed.
    addField(store, "people", { name: "amount", type: "NUMERIC" });
    let mixAmounts = false;
    let nicknames = false;
    const companies = store
      .insertRecords(
        "companies",
        Array.from({ length: 12 }, (_, index) => ({ name: `Company ${index}`, domainName: { primaryLinkUrl: `https://c${index}.example.com` } })),
      )
      .map((company) => String(company.id));

    let serial = 0;
    const person = () => {
      serial += 1;
      return {
        // Client-chosen ids arrive in random order, as Ferry's do.
        id: ids(),
        name: { firstName: `First${serial % 37}`, lastName: `Last${serial % 11}` },
        emails: { primaryEmail: random() < 0.05 ? "" : `person${serial}@example.com` },
        jobTitle: pick(JOB_TITLES),
        ferrySourceId: random() < 0.1 ? null : `src-${serial}`,
        score: random() < 0.2 ? null : Math.floor(random() * 100),
        companyId: random() < 0.3 ? null : pick(companies),
        amount: random() < 0.2 ? null : mixAmounts && random() < 0.3 ? String(serial % 50) : serial % 70,
        ...(nicknames ? { nickname: `nick-${serial % 40}` } : {}),
      };
    };

    let compared = 0;
    let sortedCache = new Map<string, TwentyRecord[]>();
    const check = (plural: string, params: Params, all: TwentyRecord[]) => {
      const actual = listViaApi(store, plural, params);
      expect(actual, `${plural} ${JSON.stringify(params)}`).toEqual(listByReference(store, plural, params, all, sortedCache));
      compared += 1;
      return actual as {
        ok?: {
          data: Record<string, TwentyRecord[]>;
          pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
        };
      };
    };

    for (let round = 0; round < 6; round += 1) {
      // ---- writes ----
      mixAmounts = round >= 2;
      if (round === 1) {
        addField(store, "people", { name: "nickname", type: "TEXT" });
        nicknames = true;
      }
      for (let batch = 0; batch < 8; batch += 1) store.insertRecords("people", Array.from({ length: 1 + Math.floor(random() * 60) }, person));
      const people = store.records("people");
      const live = people.filter((record) => record.deletedAt === null);
      const object = store.objectByPlural("people");
      if (!object) throw new Error("people");
      for (let count = 0; count < 30 && live.length > 0; count += 1) {
        const target = pick(live);
        if (target.deletedAt !== null || !store.record("people", String(target.id)) || store.record("people", String(target.id))?.deletedAt !== null) continue;
        serial += 1;
        const change = pick([
          { emails: { primaryEmail: `moved${serial}@example.com` } },
          { ferrySourceId: `src-moved-${serial}` },
          { ferrySourceId: null },
          { jobTitle: pick(JOB_TITLES), score: random() < 0.3 ? null : Math.floor(random() * 100) },
          { companyId: pick([null, ...companies]) },
        ]);
        store.updateRecord(object, String(target.id), change);
      }
      for (let count = 0; count < 25; count += 1) {
        const target = pick(people);
        const current = store.record("people", String(target.id));
        if (!current) continue;
        const action = random();
        if (action < 0.5 && current.deletedAt === null) store.softDelete(object, String(target.id));
        else if (action < 0.75 && current.deletedAt !== null) store.restore(object, String(target.id));
        else if (action < 0.9) store.destroy(object, String(target.id));
      }
      // Upsert on a unique value restores a soft-deleted owner (twenty-api §2.4).
      const deleted = store.records("people").filter((record) => record.deletedAt !== null && (record.emails as { primaryEmail: string }).primaryEmail !== "");
      if (deleted.length > 0) {
        const owner = pick(deleted);
        store.createRecords(object, [{ emails: { primaryEmail: (owner.emails as { primaryEmail: string }).primaryEmail }, jobTitle: "Upserted" }], {
          upsert: true,
          single: false,
        });
      }
      // A company goes: its people's companyId is cleared (SET_NULL) without a people write call.
      if (round === 2) store.destroy(store.objectByPlural("companies") ?? object, companies.pop() as string);
      // A field added later: rows stored before show its default, and filters see that default.
      if (round === 1) addField(store, "people", { name: "tier", type: "TEXT", defaultValue: "'gold'" });
      if (round === 3) {
        const [row] = store.records("people").filter((record) => record.deletedAt === null);
        store.updateRecord(object, String(row.id), { tier: "silver" });
      }
      // A field deleted (its values go) and created again with a default, as the metadata API does.
      if (round === 4) {
        const nickname = store.metadata.fieldByName(object.id, "nickname");
        if (!nickname) throw new Error("nickname");
        for (const removed of store.metadata.removeField(nickname.id)) store.dropFieldValues(removed.objectMetadataId, [removed.name]);
        addField(store, "people", { name: "nickname", type: "TEXT", defaultValue: "'anon'" });
        nicknames = false;
      }
      // A custom field renamed: stored values move to the new name.
      if (round === 5) {
        const tier = store.metadata.fieldByName(object.id, "tier");
        if (!tier) throw new Error("tier");
        store.renameFieldValues(object.id, "tier", "level");
        tier.name = "level";
      }

      // ---- reads ----
      const all = store.records("people");
      sortedCache = new Map();
      const sample = (count: number, from: TwentyRecord[] = all) => Array.from({ length: count }, () => pick(from));
      const idsOf = (records: TwentyRecord[]) => records.map((record) => String(record.id));
      const emailsOf = (records: TwentyRecord[]) =>
        records.map((record) => (record.emails as { primaryEmail: string }).primaryEmail).filter((email) => email !== "");
      const sourcesOf = (records: TwentyRecord[]) =>
        records.map((record) => record.ferrySourceId).filter((value): value is string => typeof value === "string");
      const unknownId = ids();
      const filters: (string | undefined)[] = [
        undefined,
        undefined,
        `id[in]:[${[...idsOf(sample(20)), unknownId].join(",")}]`,
        `id[eq]:${pick(idsOf(all))}`,
        `emails.primaryEmail[in]:[${emailsOf(sample(15)).join(",")},nobody@example.com]`,
        `emails.primaryEmail[eq]:${pick(emailsOf(all))}`,
        `emails.primaryEmail[eq]:""`,
        `ferrySourceId[in]:[${sourcesOf(sample(25)).join(",")}]`,
        `or(id[in]:[${idsOf(sample(10)).join(",")}],emails.primaryEmail[in]:[${emailsOf(sample(10)).join(",")}])`,
        `and(jobTitle[eq]:Engineer,ferrySourceId[in]:[${sourcesOf(sample(40)).join(",")}])`,
        "jobTitle[eq]:Engineer",
        "jobTitle[in]:[Manager,Designer]",
        `companyId[eq]:${pick(companies)}`,
        `companyId[in]:[${companies.slice(0, 3).join(",")}]`,
        "score[gte]:50",
        'name.firstName[ilike]:"%1%"',
        "not(jobTitle[eq]:Engineer)",
        "or(score[lt]:10,id[in]:[" + idsOf(sample(5)).join(",") + "])",
        "deletedAt[is]:NOT_NULL",
        `and(deletedAt[is]:NOT_NULL,id[in]:[${idsOf(sample(30)).join(",")}])`,
        "or(deletedAt[is]:NULL,deletedAt[is]:NOT_NULL)",
        ...(round >= 1 ? ["tier[eq]:gold", "tier[in]:[silver,bronze]", "tier[eq]:silver", "level[eq]:silver", "level[in]:[gold]"] : []),
        ...(round >= 1 ? ["nickname[in]:[nick-3,nick-17,anon]", "nickname[eq]:anon", "or(nickname[eq]:nick-5,amount[gte]:60)"] : []),
        "nosuchfield[eq]:1",
      ];
      // Cursors Ferry would never send, some of a type other than the column's (a string for a number).
      const crafted = [
        base64({ amount: "7", id: "8" }),
        base64({ score: "15", createdAt: "2025", id: "8" }),
        base64({ score: 15.5 }),
        base64({}),
        base64({ id: null }),
        base64({ id: 5 }),
        base64({ id: "~" }),
        base64({ id: "" }),
        base64({ score: "abc", id: "8" }),
        base64({ score: 12, createdAt: null, id: "8" }),
        base64("[1]"),
        "%%%not-a-cursor",
      ];

      for (let query = 0; query < 80; query += 1) {
        const params: Params = {};
        const order = pick(ORDERS);
        const filter = pick(filters);
        const limit = pick(LIMITS);
        if (order !== undefined) params.order_by = order;
        if (filter !== undefined) params.filter = filter;
        if (limit !== undefined) params.limit = limit;
        const orderBy = parseOrderBy(order, store.metadata.activeFieldsOf(object.id), "person");
        const cursor = random() < 0.15 ? pick(crafted) : encodeCursor(pick(all), orderBy);
        const side = random();
        if (side < 0.4) params.starting_after = cursor;
        else if (side < 0.75) params.ending_before = cursor;
        else if (side < 0.78) Object.assign(params, { starting_after: cursor, ending_before: cursor });
        check("people", params, all);
      }

      if (round === 0 || round === 5) {
        for (const order of ORDERS) {
          for (const cursor of crafted) {
            for (const side of ["starting_after", "ending_before"]) check("people", { limit: "7", [side]: cursor, ...(order ? { order_by: order } : {}) }, all);
          }
        }
      }

      // Whole walks, forward then backward, each page compared.
      for (let walk = 0; walk < 2; walk += 1) {
        const base: Params = { limit: pick(["29", "60", "200"]) };
        const order = walk === 0 ? undefined : pick(ORDERS);
        const filter = walk === 0 ? undefined : pick(filters.filter((candidate) => candidate !== "nosuchfield[eq]:1"));
        if (order !== undefined) base.order_by = order;
        if (filter !== undefined) base.filter = filter;
        let page = check("people", base, all);
        let last = page;
        while (page.ok?.pageInfo.hasNextPage) {
          last = page;
          page = check("people", { ...base, starting_after: String(page.ok.pageInfo.endCursor) }, all);
        }
        let back = page.ok?.pageInfo.startCursor ? page : last;
        while (back.ok?.pageInfo.hasPreviousPage && back.ok.pageInfo.startCursor) {
          back = check("people", { ...base, ending_before: back.ok.pageInfo.startCursor }, all);
        }
      }

      // Reads that fill the caches, one write, the same reads again: nothing cached may survive it.
      const cachedReads: Params[] = [];
      // (At most 8 cached orderings per table: 7 here, the default order without filter needs none.)
      for (const order of [undefined, "score[DescNullsLast]", "createdAt", "amount,createdAt"]) {
        for (const filter of [undefined, "score[gte]:50"])
          cachedReads.push({ limit: "200", ...(order ? { order_by: order } : {}), ...(filter ? { filter } : {}) });
      }
      for (const params of cachedReads) check("people", params, all);
      const changed = all.find((record) => record.deletedAt === null && (record.score === null || Number(record.score) < 50) && record.jobTitle === "Engineer");
      if (!changed) throw new Error("no record to change");
      // Now first by score (desc) and by amount, and inside score[gte]:50.
      store.updateRecord(object, String(changed.id), { jobTitle: "Manager", score: 1000, amount: -1 });
      const afterWrite = store.records("people");
      sortedCache = new Map();
      for (const params of cachedReads) check("people", params, afterWrite);

      // depth, fields and the company side of the relation, against the store's scan.
      const companyCursor = encodeCursor(pick(store.records("companies")), parseOrderBy(undefined, [], "company"));
      const companyQueries: Params[] = [
        { depth: "1", limit: "5" },
        { depth: "1", filter: `id[in]:[${companies.slice(0, 4).join(",")}]` },
        { fields: "name,domainName", starting_after: companyCursor },
        { depth: "1", order_by: "name[DescNullsLast]", limit: "3" },
      ];
      for (const params of companyQueries) {
        expect(listViaApi(store, "companies", params), JSON.stringify(params)).toEqual(listByScan(store, "companies", params));
      }
      const peopleQueries: Params[] = [
        { depth: "1", limit: "20", filter: `id[in]:[${idsOf(sample(10)).join(",")}]` },
        { fields: "emails,companyId", limit: "50", order_by: "createdAt" },
        { depth: "1", ending_before: encodeCursor(pick(all), parseOrderBy(undefined, [], "person")) },
      ];
      for (const params of peopleQueries) {
        expect(listViaApi(store, "people", params), JSON.stringify(params)).toEqual(listByScan(store, "people", params));
      }
    }
    expect(compared).toBeGreaterThan(1000);
    // Thousands of comparisons against full sorts: generous room for a busy machine (not a timing check).
  }, 120_000);

  it("pages without sorting or projecting the whole object (counted, not timed)", () => {
    const store = newStore();
    addField(store, "people", { name: "ferrySourceId", type: "TEXT", isUnique: true });
    const ids = seededUuids(5);
    for (let batch = 0; batch < 50; batch += 1) {
      store.insertRecords(
        "people",
        Array.from({ length: 60 }, (_, index) => ({
          id: ids(),
          emails: { primaryEmail: `p${batch}-${index}@example.com` },
          ferrySourceId: `s${batch}-${index}`,
        })),
      );
    }
    const all = store.records("people");
    const project = vi.spyOn(store as unknown as { project: (...args: unknown[]) => unknown }, "project");
    const projected = (run: () => unknown) => {
      project.mockClear();
      run();
      return project.mock.calls.length;
    };

    // Default order, no filter: only the page's rows are projected (binary search finds the cursor).
    let cursor: string | null = null;
    let pages = 0;
    for (;;) {
      let body: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } | undefined;
      const count = projected(() => {
        body = handleRecordsRequest(store, {
          method: "GET",
          path: "/rest/people",
          segments: ["people"],
          params: new URLSearchParams({ limit: "200", ...(cursor ? { starting_after: cursor } : {}) }),
          body: undefined,
        }).body as typeof body;
      });
      expect(count).toBeLessThanOrEqual(200);
      pages += 1;
      if (!body?.pageInfo.hasNextPage) break;
      cursor = body.pageInfo.endCursor;
    }
    expect(pages).toBe(15);

    // A lookup by unique values touches the candidates only.
    const wanted = all.slice(100, 150);
    const lookup = (filter: string) =>
      listViaApi(store, "people", { filter, limit: "200" }) as { ok: { data: { people: TwentyRecord[] }; totalCount: number } };
    for (const filter of [
      `id[in]:[${wanted.map((record) => record.id).join(",")}]`,
      `ferrySourceId[in]:[${wanted.map((record) => record.ferrySourceId).join(",")}]`,
      `emails.primaryEmail[in]:[${wanted.map((record) => (record.emails as { primaryEmail: string }).primaryEmail).join(",")}]`,
    ]) {
      lookup(filter); // builds the index on first use
      let result: ReturnType<typeof lookup> | undefined;
      expect(projected(() => (result = lookup(filter)))).toBeLessThanOrEqual(2 * wanted.length);
      expect(result?.ok.totalCount).toBe(wanted.length);
    }

    // Another order: sorted once, then each page projects its rows and a binary search's worth.
    const byCreatedAt = { order_by: "createdAt[AscNullsFirst]", limit: "200" };
    listViaApi(store, "people", byCreatedAt);
    const first = listViaApi(store, "people", byCreatedAt) as { ok: { pageInfo: { endCursor: string } } };
    expect(projected(() => listViaApi(store, "people", { ...byCreatedAt, starting_after: first.ok.pageInfo.endCursor }))).toBeLessThanOrEqual(
      200 + 2 * Math.ceil(Math.log2(all.length)) + 2,
    );
    project.mockRestore();
  });
});
