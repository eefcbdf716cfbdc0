// Step 2 of the batch protocol: each record to write transformed for the target, its relations
// resolved through the record map; a record with problems fails as data, the others are prepared
// with the keys the target knows them by and what verification should find in the target.
import type { CanonicalRecord, CanonicalValue, ObjectTypeDescription, RelationRef, UserRef } from "@/connectors/types";
import { isEmptyValue, isRelationRef, isUserRef } from "@/lib/mapping/values";
import type { WriteDecision } from "./classify";
import type { RunContext } from "./context";
import { refreshedOf, type GroupItem, type GroupSpec, type Outcomes, type PreparedRecord } from "./group";
import { reconcileKeysOf, uniqueKeysOf } from "./record-keys";
import { RESOLVABLE_STATUSES, loadRelationLinks, missingReason, refKey, type Expected, type LinkRow } from "./record-map";
import { planUserResolver, transformChildren, transformRecord, type RecordProblem, type Resolver, type TransformedRecord } from "./transform";

const USER_FIELD_TYPES = new Set(["user"]);

type Miss = { ref: RelationRef; reason: string };

function relationRefsIn(value: CanonicalValue | undefined): RelationRef[] {
  if (isRelationRef(value)) return [value];
  if (Array.isArray(value)) return (value as unknown[]).filter(isRelationRef);
  return [];
}

function refsOfRecord(record: CanonicalRecord): RelationRef[] {
  return Object.values(record.fields).flatMap(relationRefsIn);
}

function expectedOf(record: CanonicalRecord, target: ObjectTypeDescription, unmappedUsers: string[]): Expected {
  const relations: Record<string, string[]> = {};
  const users: Record<string, string> = {};
  const custom: string[] = [];
  const fields = new Map(target.fields.map((field) => [field.key, field]));
  for (const [key, value] of Object.entries(record.fields)) {
    const field = fields.get(key);
    const refs = relationRefsIn(value);
    if (refs.length > 0 && field?.type === "relation") relations[key] = refs.map((ref) => ref.id);
    else if (isUserRef(value) && (!field || USER_FIELD_TYPES.has(field.type))) users[key] = value.id;
    else if (field?.custom && !isEmptyValue(value)) custom.push(key);
  }
  return { relations, users, custom, unmappedUsers };
}

function problemMessage(problems: RecordProblem[], misses: Miss[]): { code: string; message: string } {
  const messages = problems.map((problem) => {
    // The transform names the missing record and why when the resolver could tell it.
    if (problem.code !== "BROKEN_RELATION" || problem.message.includes(", which ")) return problem.message;
    const miss =
      misses.find((candidate) => problem.message.includes(`${candidate.ref.objectType} ${candidate.ref.id}`)) ?? (misses.length === 1 ? misses[0] : undefined);
    if (!miss) return problem.message;
    const label = problem.message.includes(":") ? problem.message.slice(0, problem.message.indexOf(":")) : problem.field;
    return `${label}: links to ${miss.reason}`;
  });
  const broken = problems.find((problem) => problem.code === "BROKEN_RELATION");
  return { code: (broken ?? problems[0]).code, message: [...new Set(messages)].join("; ") };
}

type TransformOne = (item: GroupItem, resolver: Resolver, parentMissing: string | null) => TransformedRecord;

function transformerFor(ctx: RunContext, spec: GroupSpec): TransformOne {
  const { entry, child } = spec;
  if (!child) return (item, resolver) => transformRecord(entry.pair, item.record, entry.schemas, resolver, ctx.plan, entry.inlineChildSchemas);
  // transformChildren works on a whole parent: hand it the parent with only this child, so each
  // child gets its own resolver (and its own unmapped users and missing links).
  return (item, resolver, parentMissing) => {
    const parent = item.parentRecord as CanonicalRecord;
    const alone: CanonicalRecord = { ...parent, children: { ...parent.children, [child.child.childKey]: [item.record] } };
    const [result] = transformChildren(entry.pair, child.child, alone, item.parent?.targetId ?? null, child.schemas, resolver, ctx.plan, parentMissing);
    return (
      result ?? {
        record: { ...item.record, fields: {} },
        problems: [{ field: child.child.childKey, code: "VALIDATION", message: "The transform returned nothing for this record" }],
        warnings: [],
      }
    );
  };
}

/** A resolver for one record: relations through the record map, users through the plan; it remembers what it could not resolve. */
function recordResolver(
  ctx: RunContext,
  relationLinks: Map<string, LinkRow>,
  userOf: ReturnType<typeof planUserResolver>,
  misses: Miss[],
  unmappedUsers: string[],
): Resolver {
  return {
    relation(ref) {
      const link = relationLinks.get(refKey(ref.objectType, ref.id));
      if (link && RESOLVABLE_STATUSES.includes(link.status) && link.targetId) return link.targetId;
      misses.push({ ref, reason: missingReason(ref, link, ctx.planned) });
      return null;
    },
    whyMissing(ref) {
      return missingReason(ref, relationLinks.get(refKey(ref.objectType, ref.id)), ctx.planned);
    },
    user(ref: UserRef) {
      const id = userOf(ref);
      if (id === null) unmappedUsers.push(ref.email ?? ref.id);
      return id;
    },
  };
}

/** Step 2: the records to write, transformed; those that cannot be get their outcome in `outcomes`. */
export async function prepareGroup(
  ctx: RunContext,
  spec: GroupSpec,
  toWrite: { item: GroupItem; decision: WriteDecision }[],
  links: Map<string, LinkRow>,
  outcomes: Outcomes,
): Promise<PreparedRecord[]> {
  const targetSchema = spec.child ? spec.child.schemas.target : spec.entry.schemas.target;
  const refs = toWrite.flatMap(({ item }) => [...refsOfRecord(item.record), ...(item.parentRecord ? refsOfRecord(item.parentRecord) : [])]);
  const relationLinks = refs.length > 0 ? await loadRelationLinks(ctx.database, ctx.run.migrationId, refs) : new Map<string, LinkRow>();
  const userOf = planUserResolver(ctx.plan);
  const transform = transformerFor(ctx, spec);
  const prepared: PreparedRecord[] = [];
  for (const { item, decision } of toWrite) {
    const misses: Miss[] = [];
    const unmappedUsers: string[] = [];
    let result: TransformedRecord;
    try {
      result = transform(item, recordResolver(ctx, relationLinks, userOf, misses, unmappedUsers), decision.parentMissing ?? null);
    } catch (error) {
      outcomes.set(item.record.id, {
        kind: "failed",
        code: "UNKNOWN",
        message: `Ferry could not convert this record: ${error instanceof Error ? error.message : String(error)}`,
      });
      continue;
    }
    if (result.problems.length > 0) {
      const { code, message } = problemMessage(result.problems, misses);
      outcomes.set(item.record.id, decision.refresh ? refreshedOf(links.get(item.record.id)) : { kind: "failed", code, message });
      continue;
    }
    const keys = uniqueKeysOf(result.record, targetSchema);
    prepared.push({
      item,
      link: links.get(item.record.id),
      mode: decision.mode,
      refresh: decision.refresh,
      targetId: decision.targetId,
      record: result.record,
      keys,
      reconcileKeys: reconcileKeysOf(result.record, targetSchema, keys, ctx.target.system.sourceIdField),
      expected: expectedOf(result.record, targetSchema, [...new Set(unmappedUsers)]),
      warnings: result.warnings,
    });
  }
  return prepared;
}
