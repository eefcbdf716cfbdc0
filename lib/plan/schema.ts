// The plan's shape: zod schemas (validated on every read), their types and limits.
import { z } from "zod";
import { fieldMappingSchema } from "@/lib/mapping/field-mapping";

export const PLAN_VERSION = 1;
export const DEFAULT_DEMO_SAMPLE_SIZE = 20;
export const MAX_DEMO_SAMPLE_SIZE = 500;
export const MAX_STALE_YEARS = 50;
/** How a child's title is built when the target needs one ({kind}, {author}, {date}, {parent}). */
export const DEFAULT_CHILD_TITLE_TEMPLATE = "{kind} from {author} · {date}";
export const DAY_MS = 24 * 60 * 60 * 1_000;

export const key = z.string().trim().min(1);
const isoDateOrTime = z
  .string()
  .refine((value) => /^\d{4}-\d{2}-\d{2}(T.*)?$/.test(value) && !Number.isNaN(Date.parse(value)), "Use a date like 2024-01-31 (or an ISO date-time).");

export const childObjectPairSchema = z.strictObject({
  /** Key under the parent record's `children` ("messages"). */
  childKey: key,
  /** The child's object type as the source describes it ("messages"). */
  sourceObject: key,
  /** "notes" (records mode) or the target's own child type (children mode). */
  targetObject: key,
  enabled: z.boolean(),
  /** records: written as separate target records linked to the parent; children: written inside the parent record. */
  mode: z.enum(["records", "children"]),
  fieldMappings: z.array(fieldMappingSchema),
  /** Target relation field linking the child to its parent's migrated record ("targets.tickets"); null: no link. */
  parentLink: key.nullable(),
  /** Parent relation fields whose migrated records the child is linked to as well (ticket customer → "targets.people"). */
  alsoLink: z.array(z.strictObject({ parentField: key, targetField: key })),
  /** Target field that receives a generated title, built from titleTemplate. */
  titleField: key.nullable(),
  titleTemplate: z.string().max(200).default(DEFAULT_CHILD_TITLE_TEMPLATE),
});
export type ChildObjectPair = z.infer<typeof childObjectPairSchema>;

export const objectPairSchema = z.strictObject({
  sourceObject: key,
  targetObject: key,
  enabled: z.boolean(),
  fieldMappings: z.array(fieldMappingSchema),
  childObjects: z.array(childObjectPairSchema).default([]),
});
export type ObjectPair = z.infer<typeof objectPairSchema>;

export const userMappingSchema = z.strictObject({
  sourceUserId: key,
  sourceEmail: z.string().nullable(),
  sourceName: z.string().optional(),
  /** Null: no match in the target; the fallback user applies. */
  targetUserId: z.string().min(1).nullable(),
});
export type UserMapping = z.infer<typeof userMappingSchema>;

export const filtersSchema = z.strictObject({
  /** Date filters: from is inclusive; a date-only "to" includes that whole day. */
  createdFrom: isoDateOrTime.nullable().default(null),
  createdTo: isoDateOrTime.nullable().default(null),
  updatedFrom: isoDateOrTime.nullable().default(null),
  updatedTo: isoDateOrTime.nullable().default(null),
  /** Only records carrying at least one of these tags (object types with tags only). */
  tags: z.array(z.string()).default([]),
  /** Records carrying any of these tags are left out. */
  excludeTags: z.array(z.string()).default([]),
  /** Source object types the date and tag filters apply to; empty: all of them. */
  appliesTo: z.array(key).default([]),
  /** Leave out records with no update or activity for this many years (Twenty's guide: 2). */
  skipStaleYears: z.number().positive().max(MAX_STALE_YEARS).nullable().default(null),
  /** Source object types the stale filter applies to (customers, people). */
  staleObjects: z.array(key).default([]),
});
export type PlanFilters = z.infer<typeof filtersSchema>;

/** A source record left out as a repeat of `sameAs`: linked to that record's target record instead of being written. */
export const skipRepeatSchema = z.strictObject({ objectType: key, sourceId: key, sameAs: key });
export type SkipRepeat = z.infer<typeof skipRepeatSchema>;

export const planOptionsSchema = z.strictObject({
  /** When a unique key (email, domain) already exists in the target: skip the record, update the existing one, or fail. */
  duplicatePolicy: z.enum(["skip", "update", "fail"]).default("skip"),
  /** Add a "migrated" tag where the target object has tags. */
  tagMigratedRecords: z.boolean().default(false),
  skipAttachments: z.boolean().default(false),
  /** Help desk → Twenty: tickets as a Tickets custom object, or as tasks. */
  ticketsAs: z.enum(["custom-object", "tasks"]).default("custom-object"),
});
export type PlanOptions = z.infer<typeof planOptionsSchema>;

export const planSchema = z
  .strictObject({
    version: z.literal(PLAN_VERSION).default(PLAN_VERSION),
    sourceSystem: key,
    targetSystem: key,
    /** In dependency order: a pair's relations point at pairs before it. */
    objects: z.array(objectPairSchema),
    userMappings: z.array(userMappingSchema).default([]),
    /** Target user for source users without a match (owners, assignees); null leaves those fields empty. */
    fallbackUserId: z.string().min(1).nullable().default(null),
    filters: filtersSchema.default(() => filtersSchema.parse({})),
    /** Repeats the audit found (a person's email, a company's domain already used by an earlier record) the user chose to skip. */
    skipRepeats: z.array(skipRepeatSchema).default([]),
    options: planOptionsSchema.default(() => planOptionsSchema.parse({})),
    demoSampleSize: z.number().int().min(1).max(MAX_DEMO_SAMPLE_SIZE).default(DEFAULT_DEMO_SAMPLE_SIZE),
  })
  .superRefine((plan, context) => {
    const seen = new Set<string>();
    plan.objects.forEach((pair, index) => {
      const id = `${pair.sourceObject}→${pair.targetObject}`;
      if (seen.has(id)) context.addIssue({ code: "custom", message: `${pair.sourceObject} → ${pair.targetObject} is listed twice`, path: ["objects", index] });
      seen.add(id);
    });
    const users = new Set<string>();
    plan.userMappings.forEach((mapping, index) => {
      if (users.has(mapping.sourceUserId))
        context.addIssue({ code: "custom", message: `User ${mapping.sourceUserId} is mapped twice`, path: ["userMappings", index] });
      users.add(mapping.sourceUserId);
    });
  });

export type MigrationPlan = z.infer<typeof planSchema>;
/** What a caller may hand in: defaults filled by parsing. */
export type MigrationPlanInput = z.input<typeof planSchema>;
