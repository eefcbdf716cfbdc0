// Which records a demo run migrates: N per object, chosen to show as much of the mapping as
// possible (not at random), with the records they depend on pulled in.
//
// How: objects are visited dependents first (notes, tasks, tickets… before customers, then
// companies). For each, the first DEMO_SCAN_PAGES pages are read and a greedy set cover picks
// records: each round takes the record adding the most not-yet-shown "features" — a mapped
// field holding a value, a select option, a long thread, attachments — so 20 records cover the
// mapped field types, long threads and attachments when the data has them. Records that
// already-chosen dependents point at (a ticket's customer, that customer's company) are always
// included, found by reading on up to DEMO_DEPENDENCY_SCAN_PAGES pages; one not found there
// makes its dependent fail with BROKEN_RELATION, named, rather than vanish.
import type { CanonicalRecord, CanonicalValue, ObjectTypeDescription, RelationRef } from "@/connectors/types";
import { isEmptyValue, isRelationRef } from "@/lib/mapping/values";
import { childKeysToRead } from "./context";
import type { EnginePair, RunContext } from "./context";

export const DEMO_SCAN_PAGES = 3;
export const DEMO_PAGE_SIZE = 100;
export const DEMO_DEPENDENCY_SCAN_PAGES = 50;
/** Threads with at least this many messages count as long. */
export const LONG_THREAD_MESSAGES = 5;
/** How much showing each kind of feature is worth: threads and attachments first, then fields, then options. */
const FEATURE_WEIGHTS: Record<string, number> = { thread: 8, attachments: 8, field: 3, child: 2, option: 1 };

function weightOf(feature: string): number {
  return FEATURE_WEIGHTS[feature.slice(0, feature.indexOf(":") === -1 ? feature.length : feature.indexOf(":"))] ?? 1;
}

export type DemoSelection = Map<string, CanonicalRecord[]>;

function refsIn(value: CanonicalValue | undefined): RelationRef[] {
  if (isRelationRef(value)) return [value];
  if (Array.isArray(value)) return (value as unknown[]).filter(isRelationRef);
  return [];
}

/** Relations of a record and of its children (a message's author points at a customer). */
export function dependenciesOf(record: CanonicalRecord): RelationRef[] {
  const own = Object.values(record.fields).flatMap(refsIn);
  const children = Object.values(record.children ?? {}).flatMap((list) => list.flatMap((child) => Object.values(child.fields).flatMap(refsIn)));
  return [...own, ...children];
}

/** What a record shows of the mapping: mapped fields with a value, select options, threads, attachments. */
export function featuresOf(record: CanonicalRecord, entry: EnginePair): Set<string> {
  const features = new Set<string>();
  const source: ObjectTypeDescription = entry.schemas.source;
  const mapped = new Set(entry.pair.fieldMappings.map((mapping) => mapping.sourceField).filter((key): key is string => key !== null));
  for (const key of mapped) {
    const value = record.fields[key];
    if (isEmptyValue(value)) continue;
    features.add(`field:${key}`);
    const field = source.fields.find((candidate) => candidate.key === key);
    if (field && (field.type === "select" || field.type === "multiselect"))
      for (const option of Array.isArray(value) ? value : [value]) features.add(`option:${key}=${String(option)}`);
  }
  for (const child of [...entry.children.map((item) => item.child), ...entry.pair.childObjects.filter((item) => item.enabled && item.mode === "children")]) {
    const list = record.children?.[child.childKey] ?? [];
    if (list.length >= LONG_THREAD_MESSAGES) features.add(`thread:${child.childKey}`);
    for (const mapping of child.fieldMappings) {
      if (mapping.sourceField && list.some((item) => !isEmptyValue(item.fields[mapping.sourceField as string])))
        features.add(`child:${child.childKey}.${mapping.sourceField}`);
    }
    if (list.some((item) => (item.attachments?.length ?? 0) > 0)) features.add(`attachments:${child.childKey}`);
  }
  if ((record.attachments?.length ?? 0) > 0) features.add("attachments:record");
  return features;
}

function threadSize(record: CanonicalRecord): number {
  return Object.values(record.children ?? {}).reduce((sum, list) => sum + list.length, 0);
}

/** Greedy set cover: up to `count` records, each adding the most features not shown yet. */
export function pickCovering(candidates: CanonicalRecord[], count: number, entry: EnginePair, alreadyChosen: CanonicalRecord[] = []): CanonicalRecord[] {
  const covered = new Set<string>();
  for (const record of alreadyChosen) for (const feature of featuresOf(record, entry)) covered.add(feature);
  const pool = candidates.map((record, index) => ({ record, index, features: featuresOf(record, entry) }));
  const chosen: CanonicalRecord[] = [];
  const taken = new Set(alreadyChosen.map((record) => record.id));
  while (chosen.length + alreadyChosen.length < count) {
    let best: (typeof pool)[number] | null = null;
    let bestScore = -1;
    for (const candidate of pool) {
      if (taken.has(candidate.record.id)) continue;
      let fresh = 0;
      for (const feature of candidate.features) if (!covered.has(feature)) fresh += weightOf(feature);
      // New features first; then the richest record; then longer threads; then source order.
      const score = fresh * 1_000_000 + candidate.features.size * 1_000 + Math.min(threadSize(candidate.record), 999);
      if (score > bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    if (!best) break;
    taken.add(best.record.id);
    chosen.push(best.record);
    for (const feature of best.features) covered.add(feature);
  }
  return chosen;
}

async function readPages(
  ctx: RunContext,
  objectType: string,
  pages: number,
  stopWhen?: (records: CanonicalRecord[]) => boolean,
  startCursor: string | null = null,
): Promise<{ records: CanonicalRecord[]; cursor: string | null }> {
  const records: CanonicalRecord[] = [];
  let cursor = startCursor;
  let read = 0;
  const generator = ctx.source.session.read(objectType, {
    cursor,
    pageSize: DEMO_PAGE_SIZE,
    children: ctx.pairs.filter((entry) => entry.pair.sourceObject === objectType).flatMap((entry) => childKeysToRead(entry.pair)),
  });
  try {
    for await (const page of generator) {
      records.push(...page.records);
      cursor = page.nextCursor;
      read += 1;
      if (cursor === null || read >= pages || stopWhen?.(records)) break;
    }
  } finally {
    await generator.return(undefined);
  }
  return { records, cursor };
}

/** Chooses the demo records of every object in the plan. */
export async function selectDemoRecords(ctx: RunContext, sampleSize: number): Promise<DemoSelection> {
  const selection: DemoSelection = new Map();
  const required = new Map<string, Set<string>>();
  for (const entry of [...ctx.pairs].reverse()) {
    const objectType = entry.pair.sourceObject;
    const needed = required.get(objectType) ?? new Set<string>();
    const first = await readPages(ctx, objectType, DEMO_SCAN_PAGES);
    let candidates = first.records;
    const missing = () => [...needed].filter((id) => !candidates.some((record) => record.id === id));
    if (missing().length > 0 && first.cursor !== null) {
      const more = await readPages(
        ctx,
        objectType,
        DEMO_DEPENDENCY_SCAN_PAGES,
        (records) => [...needed].every((id) => candidates.some((record) => record.id === id) || records.some((record) => record.id === id)),
        first.cursor,
      );
      candidates = [...candidates, ...more.records.filter((record) => needed.has(record.id))];
    }
    const dependencies = candidates.filter((record) => needed.has(record.id));
    const chosen = [
      ...dependencies,
      ...pickCovering(
        candidates.filter((record) => !needed.has(record.id)),
        sampleSize,
        entry,
        dependencies,
      ),
    ];
    selection.set(objectType, chosen);
    for (const record of chosen) {
      for (const ref of dependenciesOf(record)) {
        if (ref.objectType === objectType || !ctx.planned.has(ref.objectType)) continue;
        required.set(ref.objectType, (required.get(ref.objectType) ?? new Set()).add(ref.id));
      }
    }
  }
  // Back in dependency order for the run.
  return new Map(ctx.pairs.map((entry) => [entry.pair.sourceObject, selection.get(entry.pair.sourceObject) ?? []]));
}
