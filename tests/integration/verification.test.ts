// Verification over a target larger than a page, built directly in the database and a fake
// target session: the streamed report names exactly what is missing, broken or duplicated, equals
// the in-memory check of the same data, and the target is read page by page without keeping
// records past their page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CanonicalRecord, CanonicalValue, ConnectorSession, FieldDescription, ObjectTypeDescription, RecordPage } from "@/connectors/types";
import type { Database } from "@/lib/db";
import { loadRun } from "@/lib/migration/context";
import { SideSession } from "@/lib/migration/sessions";
import {
  VERIFY_PAGE_SIZE,
  buildVerification,
  verifyObject,
  verificationReportSchema,
  type VerificationReport,
  type VerifyOptions,
} from "@/lib/migration/verify";
import { createTestDatabase } from "../helpers/database";

let database: Database;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ database, cleanup } = await createTestDatabase());
});

afterAll(async () => {
  await cleanup?.();
});

const field = (key: string, type: FieldDescription["type"], unique = false): FieldDescription => ({
  key,
  label: key,
  type,
  nativeType: type,
  required: false,
  unique,
  readOnly: false,
  custom: false,
});
const SCHEMA: ObjectTypeDescription[] = [
  {
    key: "companies",
    label: "Companies",
    custom: false,
    canRead: true,
    canWrite: true,
    dependsOn: [],
    fields: [field("name", "text", true), field("tier", "text")],
  },
  {
    key: "people",
    label: "People",
    custom: false,
    canRead: true,
    canWrite: true,
    dependsOn: ["companies"],
    fields: [field("email", "email", true), field("company", "relation"), field("owner", "user")],
  },
];

const COMPANIES = 400;
const CUSTOMERS = 2_100;
const CONTACTS = 300;
const FOREIGN = 50;
const pad = (n: number) => String(n).padStart(4, "0");

/** Target records removed after the run (by someone else): their links must be reported missing. */
const DELETED = { companies: [5, 150, 399], customers: [0, 17, 400, 1999, 2000, 2001, 2099], contacts: [3, 299] };
const FAILED_CUSTOMER = 10;
const BROKEN_RELATION = 42;
const WRONG_OWNER = 43;
const EMPTY_TIER = 7;
const UNMAPPED_OWNER = [44, 45];

type Fixture = { runId: string; target: Map<string, CanonicalRecord[]> };

const record = (objectType: string, id: string, fields: Record<string, CanonicalValue>): CanonicalRecord => ({
  id,
  objectType,
  createdAt: null,
  updatedAt: null,
  fields,
});

async function buildFixture(): Promise<Fixture> {
  const organization = await database.organization.create({ data: { name: "Verification test" } });
  const connection = async (systemId: string) =>
    (
      await database.connection.create({
        data: { organizationId: organization.id, systemId, label: systemId, credentialsCiphertext: "test-only", keyVersion: 1 },
      })
    ).id;
  const migration = await database.migration.create({
    data: {
      organizationId: organization.id,
      name: "Verification",
      sourceConnectionId: await connection("sample"),
      targetConnectionId: await connection("twenty"),
    },
  });
  const earlier = await database.run.create({ data: { migrationId: migration.id, mode: "demo", status: "completed" } });
  const run = await database.run.create({ data: { migrationId: migration.id, mode: "full", status: "running" } });
  await database.runObject.createMany({
    data: [
      {
        runId: run.id,
        objectType: "companies",
        targetObjectType: "companies",
        position: 0,
        total: COMPANIES,
        processed: COMPANIES,
        created: COMPANIES,
        done: true,
      },
      {
        runId: run.id,
        objectType: "customers",
        targetObjectType: "people",
        position: 1,
        total: CUSTOMERS,
        processed: CUSTOMERS,
        created: CUSTOMERS - 1,
        failed: 1,
        done: true,
      },
      { runId: run.id, objectType: "contacts", targetObjectType: "people", position: 2, total: CONTACTS, processed: CONTACTS, created: CONTACTS, done: true },
    ],
  });

  const links: {
    migrationId: string;
    runId: string;
    objectType: string;
    sourceId: string;
    targetId: string | null;
    targetObjectType: string;
    status: string;
    expected: string | null;
  }[] = [];
  const link = (
    objectType: string,
    sourceId: string,
    targetId: string | null,
    targetObjectType: string,
    expected: object | null,
    status = "created",
    runId = run.id,
  ) =>
    links.push({ migrationId: migration.id, runId, objectType, sourceId, targetId, targetObjectType, status, expected: expected && JSON.stringify(expected) });
  const companies: CanonicalRecord[] = [];
  const people: CanonicalRecord[] = [];

  for (let i = 0; i < COMPANIES; i += 1) {
    link("companies", `co-${pad(i)}`, `tc-${i}`, "companies", { relations: {}, users: {}, custom: ["tier"] });
    if (!DELETED.companies.includes(i)) companies.push(record("companies", `tc-${i}`, { name: `Company ${i}`, tier: i === EMPTY_TIER ? "" : "gold" }));
  }
  for (let i = 0; i < CUSTOMERS; i += 1) {
    const company = `tc-${i % COMPANIES}`;
    if (i === FAILED_CUSTOMER) {
      link("customers", `cu-${pad(i)}`, null, "people", null, "failed");
      continue;
    }
    const unmappedUsers = UNMAPPED_OWNER.includes(i) ? ["agent@source.test"] : [];
    link(
      "customers",
      `cu-${pad(i)}`,
      `tp-${i}`,
      "people",
      { relations: { company: [company] }, users: unmappedUsers.length ? {} : { owner: "u1" }, custom: [], unmappedUsers },
      i % 500 === 1 ? "skipped" : "created",
    );
    if (DELETED.customers.includes(i)) continue;
    people.push(
      record("people", `tp-${i}`, {
        email: `customer${i}@example.com`,
        company: { objectType: "companies", id: i === BROKEN_RELATION ? "tc-elsewhere" : company },
        owner: UNMAPPED_OWNER.includes(i) ? null : { id: i === WRONG_OWNER ? "u2" : "u1", email: null },
      }),
    );
  }
  for (let i = 0; i < CONTACTS; i += 1) {
    link("contacts", `ct-${pad(i)}`, `tq-${i}`, "people", { relations: { company: [`tc-${i}`] }, users: {}, custom: [] });
    if (!DELETED.contacts.includes(i))
      people.push(record("people", `tq-${i}`, { email: `contact${i}@example.com`, company: { objectType: "companies", id: `tc-${i}` } }));
  }
  // Records Ferry did not write: one holds a customer's email (written differently), two share an
  // email between them (not this migration's business), and two share one with a record an earlier
  // run of this migration wrote (its business again).
  for (let i = 0; i < FOREIGN; i += 1) {
    const email =
      i === 0
        ? "  Customer1234@Example.com "
        : i === 1 || i === 2
          ? "shared@elsewhere.test"
          : i === 3 || i === 4
            ? "earlier@elsewhere.test"
            : `foreign${i}@elsewhere.test`;
    people.push(record("people", `tx-${i}`, { email }));
  }
  link("leads", "lead-1", "tx-3", "people", null, "created", earlier.id);
  // The earlier run's links of the same objects are not this run's (its missing target is not reported).
  link("customers", "cu-earlier", "tp-gone", "people", { relations: {}, users: {}, custom: [] }, "created", earlier.id);
  // A record the read returns twice (paging over a changing target) counts once.
  people.splice(700, 0, people[300]);

  for (let start = 0; start < links.length; start += 500) await database.recordLink.createMany({ data: links.slice(start, start + 500) });
  return {
    runId: run.id,
    target: new Map([
      ["companies", companies],
      ["people", people],
    ]),
  };
}

type ReadStats = { reads: string[]; pageSizes: (number | undefined)[]; pages: number; records: number; maxLag: number };
const readStats = (): ReadStats => ({ reads: [], pageSizes: [], pages: 0, records: 0, maxLag: 0 });

/** A target serving `data` page by page that notes how many pages later a record is still used. */
function targetSession(data: Map<string, CanonicalRecord[]>, stats: ReadStats): ConnectorSession {
  const refuse = () => Promise.reject(new Error("not part of this fake target"));
  return {
    verify: refuse,
    count: refuse,
    write: refuse,
    findExisting: refuse,
    remove: refuse,
    prerequisites: refuse,
    listUsers: refuse,
    describe: async () => ({ objectTypes: SCHEMA }),
    async *read(objectType, options): AsyncGenerator<RecordPage> {
      stats.reads.push(objectType);
      stats.pageSizes.push(options?.pageSize);
      const all = data.get(objectType) ?? [];
      const size = options?.pageSize ?? 50;
      for (let start = 0; start < all.length; start += size) {
        stats.pages += 1;
        const page = stats.pages;
        const watch = <T extends object>(value: T): T =>
          new Proxy(value, {
            get(target, key, receiver) {
              stats.maxLag = Math.max(stats.maxLag, stats.pages - page);
              return Reflect.get(target, key, receiver);
            },
          });
        const records = all.slice(start, start + size).map((item) => watch({ ...item, fields: watch({ ...item.fields }) }));
        stats.records += records.length;
        yield { records, nextCursor: start + size < all.length ? String(start + size) : null };
      }
    },
  };
}

describe("verification over many records", () => {
  let fixture: Fixture;
  let report: VerificationReport;
  /** Small sizes, so pages, link batches and link pages end at different records. */
  const SIZES = { pageSize: 50, linkBatch: 120, linkPageSize: 700 } satisfies VerifyOptions;
  const stats = readStats();
  const defaultStats = readStats();
  let withDefaults: VerificationReport;

  const verify = async (stats: ReadStats, options?: VerifyOptions) =>
    buildVerification(
      database,
      await loadRun(database, fixture.runId),
      new SideSession(targetSession(fixture.target, stats), { id: "twenty", name: "Twenty", maxBatchSize: 60, rateLimit: null }),
      new Date("2026-01-02T03:04:05Z"),
      options,
    );

  beforeAll(async () => {
    fixture = await buildFixture();
    report = await verify(stats, SIZES);
    withDefaults = await verify(defaultStats);
  });

  it("reports exactly the missing records, the broken relation, the wrong owner, the empty field and the duplicates", () => {
    expect(verificationReportSchema.parse(report)).toEqual(report);
    const [companies, customers, contacts] = report.objects;
    const duplicates = {
      // Distinct emails: the customers and contacts still there, and the foreign ones (3 of them share one with another record).
      checked: CUSTOMERS - 1 - DELETED.customers.length + (CONTACTS - DELETED.contacts.length) + (FOREIGN - 3),
      problems: 2,
      examples: ['email "customer1234@example.com" is held by 2 records (tp-1234, tx-0)', 'email "earlier@elsewhere.test" is held by 2 records (tx-3, tx-4)'],
    };
    expect(companies).toEqual({
      objectType: "companies",
      targetObjectType: "companies",
      parentObjectType: null,
      selected: COMPANIES,
      created: COMPANIES,
      updated: 0,
      skipped: 0,
      failed: 0,
      mapped: COMPANIES,
      unprocessed: 0,
      linked: COMPANIES,
      found: COMPANIES - 3,
      missing: ["co-0005", "co-0150", "co-0399"],
      relations: { checked: 0, problems: 0, examples: [] },
      owners: { checked: 0, problems: 0, examples: [], unmapped: 0 },
      customFields: { checked: COMPANIES - 3, problems: 1, examples: ["co-0007: tier is empty"] },
      duplicates: { checked: COMPANIES - 3, problems: 0, examples: [] },
      discrepancies: [
        "companies: 3 linked records are missing from Twenty (co-0005, co-0150, co-0399).",
        "companies: 1 custom field value missing (co-0007: tier is empty).",
      ],
    });
    // Found customers: all but the failed one and the deleted ones; of those, 5 were skipped (no content check).
    const foundCustomers = CUSTOMERS - 1 - DELETED.customers.length;
    const checkedCustomers = foundCustomers - 4; // cu-0001, cu-0501, cu-1001 and cu-1501 were skipped (cu-2001 too, but it is missing)
    expect(customers).toEqual({
      objectType: "customers",
      targetObjectType: "people",
      parentObjectType: null,
      selected: CUSTOMERS,
      created: CUSTOMERS - 1,
      updated: 0,
      skipped: 0,
      failed: 1,
      mapped: CUSTOMERS,
      unprocessed: 0,
      linked: CUSTOMERS - 1,
      found: foundCustomers,
      missing: ["cu-0000", "cu-0017", "cu-0400", "cu-1999", "cu-2000", "cu-2001", "cu-2099"],
      relations: { checked: checkedCustomers, problems: 1, examples: ["cu-0042: company should point at tc-42"] },
      owners: { checked: checkedCustomers - 2, problems: 1, examples: ["cu-0043: owner should be user u1"], unmapped: 2 },
      customFields: { checked: 0, problems: 0, examples: [] },
      duplicates,
      discrepancies: [
        "customers: 7 linked records are missing from Twenty (cu-0000, cu-0017, cu-0400, cu-1999, cu-2000).",
        "customers: 1 relation not intact (cu-0042: company should point at tc-42).",
        "customers: 1 owner or assignee not as mapped (cu-0043: owner should be user u1).",
        'Twenty people: 2 duplicates on unique fields (email "customer1234@example.com" is held by 2 records (tp-1234, tx-0)).',
      ],
    });
    expect(contacts).toMatchObject({
      linked: CONTACTS,
      found: CONTACTS - 2,
      missing: ["ct-0003", "ct-0299"],
      relations: { checked: CONTACTS - 2, problems: 0 },
      duplicates,
    });
    expect(report.clean).toBe(false);
    expect(report.discrepancies).toEqual([...companies.discrepancies, ...customers.discrepancies, ...contacts.discrepancies]);
    expect(report.notes).toEqual([
      "customers: 1 record failed; see the failed records for each reason.",
      "customers: 2 records had an owner or assignee with no matching Twenty user (left empty, as the plan says).",
    ]);
  });

  it("equals the same checks over the whole target held in memory", async () => {
    const { migrationId } = await database.run.findUniqueOrThrow({ where: { id: fixture.runId } });
    const migrationTargetIds = new Set(
      (
        await database.recordLink.findMany({
          where: { migrationId, targetId: { not: null }, status: { in: ["created", "updated", "skipped"] } },
          select: { targetId: true },
        })
      ).map((row) => row.targetId as string),
    );
    const objects = await database.runObject.findMany({ where: { runId: fixture.runId }, orderBy: { position: "asc" } });
    for (const [index, object] of objects.entries()) {
      const links = await database.recordLink.findMany({
        where: { runId: fixture.runId, objectType: object.objectType, status: { in: ["created", "updated", "skipped"] } },
        orderBy: { sourceId: "asc" },
      });
      const mapped = await database.recordLink.count({ where: { runId: fixture.runId, objectType: object.objectType, status: { not: "pending" } } });
      const records = new Map((fixture.target.get(object.targetObjectType) ?? []).map((item) => [item.id, item]));
      const inMemory = verifyObject(
        { ...object, mapped },
        links,
        records,
        SCHEMA.find((type) => type.key === object.targetObjectType),
        migrationTargetIds,
        { target: "Twenty" },
      );
      expect(report.objects[index]).toEqual(inMemory);
    }
  });

  it("gives the same report with the default sizes", () => {
    expect(withDefaults).toEqual(report);
  });

  it("reads each target object page by page and uses a record only until its batch of pages is checked", () => {
    const people = fixture.target.get("people")?.length ?? 0;
    const companies = fixture.target.get("companies")?.length ?? 0;
    // people once for the checks and once more to name its duplicates; companies has none.
    expect(stats.reads).toEqual(["companies", "people", "people"]);
    expect(stats.pageSizes).toEqual([SIZES.pageSize, SIZES.pageSize, SIZES.pageSize]);
    expect(stats.pages).toBe(Math.ceil(companies / SIZES.pageSize) + 2 * Math.ceil(people / SIZES.pageSize));
    expect(stats.records).toBe(companies + 2 * people);
    // A record is last used while the batch holding it is checked: at most a batch's pages later.
    expect(stats.maxLag).toBeGreaterThan(0);
    expect(stats.maxLag).toBeLessThanOrEqual(Math.ceil(SIZES.linkBatch / SIZES.pageSize));
    // More links than one link page, so the missing records were found across link pages.
    expect(CUSTOMERS).toBeGreaterThan(2 * SIZES.linkPageSize);
    expect(defaultStats.pageSizes).toEqual([VERIFY_PAGE_SIZE, VERIFY_PAGE_SIZE, VERIFY_PAGE_SIZE]);
  });
});
