// The Sample source: a built-in, read-only help desk (with CRM-shaped data too) generated from a
// seed and a scale, so anyone can try Ferry without an account anywhere.
//
// Exports for other code (the Twenty and Teamwork Desk sandboxes seed themselves from it with
// `--seed sample`, benchmarks use large scales):
//   sampleConnector                                  the Connector (id "sample") for the registry
//   sampleRecords(objectType, { seed, scale, start, end })
//                                                    a generator of CanonicalRecords in id order,
//                                                    streamed: record i is built from (seed, i) alone
//   sampleRecord(objectType, index, { seed, scale })  one record, by 0-based index
//   sampleCounts({ seed, scale })                     exact count per object type
//   sampleUsers({ seed, scale })                      the agents as UserRefs (email = login)
//   SAMPLE_OBJECT_TYPES, REFERENCE_DATE, DEFAULT_SAMPLE_SEED
//   isSampleAttachmentUrl(url), sampleAttachmentContent(attachment)
//                                                    attachment URLs are made up (.example TLD);
//                                                    writers get deterministic bytes from here
// Defaults: seed 42, scale 1 (5 agents, 3 inboxes, 40 companies, 250 customers, 1,000 tickets
// with 1-12 messages each, 60 opportunities, 120 tasks, 150 notes). Dates are anchored to
// REFERENCE_DATE (2026-11-01T00:00:00Z), so every run yields identical data.
import { z } from "zod";
import {
  ConnectorError,
  type CanonicalRecord,
  type Connector,
  type ConnectorSession,
  type ReadOptions,
  type RecordPage,
  type UserRef,
} from "@/connectors/types";
import { SampleDataset, sampleCounts, type SampleConfig } from "@/connectors/sample/generate";
import { DEFAULT_SAMPLE_SEED, sampleCredentialSchema, sampleManifest, type SampleCredentials } from "@/connectors/sample/manifest";
import { describeCreatedAt } from "@/connectors/shared/record-dates";
import { MESSAGES_OBJECT_TYPE, describeSample, isSampleObjectType, type SampleObjectType } from "@/connectors/sample/schema";
import messagesEn from "./messages/en.json" with { type: "json" };
import messagesFr from "./messages/fr.json" with { type: "json" };

export { REFERENCE_DATE, isSampleAttachmentUrl, sampleAttachmentContent, sampleCounts, type SampleConfig } from "@/connectors/sample/generate";
export { DEFAULT_SAMPLE_SEED, sampleCredentialSchema, sampleManifest, type SampleCredentials } from "@/connectors/sample/manifest";
export { SAMPLE_OBJECT_TYPES, type SampleObjectType } from "@/connectors/sample/schema";

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1_000;
const READ_ONLY_MESSAGE = "The Sample source is read-only";

function configOf(options: Partial<SampleConfig> = {}): SampleConfig {
  return sampleCredentialSchema.parse(options);
}

function objectTypeOf(objectType: string): SampleObjectType {
  if (isSampleObjectType(objectType)) return objectType;
  if (objectType === MESSAGES_OBJECT_TYPE) {
    throw new ConnectorError("VALIDATION", "Ticket messages are read with their ticket, in children.messages");
  }
  throw new ConnectorError("NOT_FOUND", `The Sample source has no object type "${objectType}"`);
}

/** Records of one type in id order, from index `start` (included) to `end` (excluded). */
export function* sampleRecords(objectType: string, options: Partial<SampleConfig> & { start?: number; end?: number } = {}): Generator<CanonicalRecord> {
  const type = objectTypeOf(objectType);
  const dataset = new SampleDataset(configOf(options));
  const end = Math.min(options.end ?? dataset.counts[type], dataset.counts[type]);
  for (let index = Math.max(0, options.start ?? 0); index < end; index += 1) yield dataset.record(type, index);
}

export function sampleRecord(objectType: string, index: number, options: Partial<SampleConfig> = {}): CanonicalRecord {
  return new SampleDataset(configOf(options)).record(objectTypeOf(objectType), index);
}

export function sampleUsers(options: Partial<SampleConfig> = {}): UserRef[] {
  const dataset = new SampleDataset(configOf(options));
  return Array.from({ length: dataset.counts.agents }, (_, index) => dataset.agentRef(index));
}

// ---------------------------------------------------------------------------------------------
// Cursor: opaque to callers; inside, where to continue and how many records were already read
// (so a `sample` cap holds across a resume).
// ---------------------------------------------------------------------------------------------
const cursorSchema = z.object({ v: z.literal(1), t: z.string(), i: z.number().int().min(0), n: z.number().int().min(0) });
type SampleCursor = z.infer<typeof cursorSchema>;

export function encodeSampleCursor(cursor: Omit<SampleCursor, "v">): string {
  return Buffer.from(JSON.stringify({ v: 1, ...cursor })).toString("base64url");
}

function decodeCursor(cursor: string, objectType: SampleObjectType): SampleCursor {
  let parsed: ReturnType<typeof cursorSchema.safeParse>;
  try {
    parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    parsed = cursorSchema.safeParse(null);
  }
  if (!parsed.success) throw new ConnectorError("VALIDATION", "The cursor is not one the Sample source handed out");
  if (parsed.data.t !== objectType) throw new ConnectorError("VALIDATION", `The cursor belongs to ${parsed.data.t}, not ${objectType}`);
  return parsed.data;
}

function sinceMsOf(since: string | null | undefined): number | null {
  if (since === undefined || since === null) return null;
  const ms = Date.parse(since);
  if (Number.isNaN(ms)) throw new ConnectorError("VALIDATION", `"since" must be an ISO date-time, got "${since}"`);
  return ms;
}

function readOnly(): never {
  throw new ConnectorError("PERMISSION_DENIED", READ_ONLY_MESSAGE);
}

export function createSampleSession(credentials: Partial<SampleCredentials>): ConnectorSession {
  const config = configOf(credentials);
  const dataset = new SampleDataset(config);

  async function* read(objectType: string, options: ReadOptions = {}): AsyncGenerator<RecordPage> {
    const type = objectTypeOf(objectType);
    const total = dataset.counts[type];
    const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(options.pageSize ?? DEFAULT_PAGE_SIZE)));
    const cap = options.sample ?? Number.POSITIVE_INFINITY;
    const sinceMs = sinceMsOf(options.since);
    let { i: index, n: yielded } = options.cursor ? decodeCursor(options.cursor, type) : { i: 0, n: 0 };
    for (;;) {
      const records: CanonicalRecord[] = [];
      while (index < total && records.length < pageSize && yielded + records.length < cap) {
        if (sinceMs === null || dataset.updatedAtMs(type, index) >= sinceMs) records.push(dataset.record(type, index));
        index += 1;
      }
      yielded += records.length;
      const done = index >= total || yielded >= cap;
      yield { records, nextCursor: done ? null : encodeSampleCursor({ t: type, i: index, n: yielded }) };
      if (done) return;
    }
  }

  return {
    async verify() {
      return {
        accountName: `Sample data (seed ${config.seed})`,
        userName: "Sample data",
        userEmail: null,
        permissionLevel: "read only (generated data)",
        isAdministrator: false,
      };
    },
    async describe() {
      return describeCreatedAt(describeSample());
    },
    async count(objectType, filters = {}) {
      const sinceMs = sinceMsOf(filters.since);
      // Messages count with their ticket: a ticket updated since the date brings its whole thread.
      if (objectType === MESSAGES_OBJECT_TYPE) {
        let messages = 0;
        for (let index = 0; index < dataset.counts.tickets; index += 1) {
          if (sinceMs === null || dataset.updatedAtMs("tickets", index) >= sinceMs) messages += dataset.messageCount(index);
        }
        return messages;
      }
      const type = objectTypeOf(objectType);
      if (sinceMs === null) return dataset.counts[type];
      let count = 0;
      for (let index = 0; index < dataset.counts[type]; index += 1) if (dataset.updatedAtMs(type, index) >= sinceMs) count += 1;
      return count;
    },
    read,
    async write() {
      return readOnly();
    },
    async findExisting() {
      return readOnly();
    },
    async remove() {
      return readOnly();
    },
    async prerequisites() {
      return { checks: [], confirmations: [] };
    },
    async listUsers() {
      return Array.from({ length: dataset.counts.agents }, (_, index) => dataset.agentRef(index));
    },
  };
}

export const sampleConnector: Connector<SampleCredentials> = {
  manifest: sampleManifest,
  messages: { en: messagesEn, fr: messagesFr },
  connect: (credentials) => createSampleSession(credentials),
};

/** The counts the default dataset (seed 42, scale 1) has, for docs and UI copy. */
export const DEFAULT_SAMPLE_COUNTS = sampleCounts({ seed: DEFAULT_SAMPLE_SEED, scale: 1 });
