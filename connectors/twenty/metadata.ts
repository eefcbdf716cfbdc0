// Ferry's view of a Twenty workspace's data model, built from the metadata API's objects and
// fields (reference §3.1). Pure: the session fetches, this interprets. Field names of relations
// and of noteTargets/taskTargets differ across Twenty versions (§4), so everything here is
// discovered from metadata instead of hard-coded.
import type { SelectOption } from "@/connectors/types";
import type { TwentyFieldMetadata, TwentyObjectMetadata } from "./raw-schemas";

export type TwentyRelationModel = {
  /** MANY_TO_ONE (has a join column on this object) or ONE_TO_MANY (inverse side, no column). */
  kind: string | null;
  /** namePlural of the object pointed at, when known. */
  target: string | null;
  /** Column holding the target id on this object (MANY_TO_ONE only), e.g. "companyId". */
  joinColumn: string | null;
};

export type TwentyFieldModel = {
  id: string;
  name: string;
  label: string;
  nativeType: string;
  custom: boolean;
  system: boolean;
  active: boolean;
  nullable: boolean;
  unique: boolean;
  defaultValue: unknown;
  options: SelectOption[];
  /** Options as Twenty holds them (with ids, colors, positions): kept whole when adding options. */
  rawOptions: NonNullable<TwentyFieldMetadata["options"]>;
  relation: TwentyRelationModel | null;
};

export type TwentyObjectModel = {
  id: string;
  nameSingular: string;
  namePlural: string;
  label: string;
  custom: boolean;
  system: boolean;
  active: boolean;
  fields: TwentyFieldModel[];
};

/** How notes/tasks link to records: the join object and its column per target object. */
export type TwentyTargetLinkModel = {
  /** e.g. "noteTargets" */
  joinObject: string;
  /** Column pointing at the note/task, e.g. "noteId". */
  parentColumn: string;
  /** Target object namePlural → column, e.g. people → "personId" (or "targetPersonId" from 1.17). */
  columns: Map<string, string>;
};

export type TwentyWorkspaceModel = {
  objects: TwentyObjectModel[];
  byPlural: Map<string, TwentyObjectModel>;
  /** Whether plain RICH_TEXT is the markdown/blocknote composite (2026 rename, §3.3). */
  richTextIsComposite: boolean;
  /** Type name to create rich text fields with: RICH_TEXT_V2, or RICH_TEXT on 2026 builds. */
  richTextType: string;
  targetLinks: Map<string, TwentyTargetLinkModel>;
};

/** Object types Ferry reads and writes besides custom objects (reference §4). */
export const STANDARD_OBJECTS = ["companies", "people", "opportunities", "notes", "tasks", "workspaceMembers"] as const;
export const READ_ONLY_OBJECTS = new Set(["workspaceMembers"]);
/** Parent object → its join object (reference §4, "Creating a note/task linked to records"). */
export const TARGET_JOIN_OBJECTS: Record<string, string> = { notes: "noteTargets", tasks: "taskTargets" };

// Unique keys Twenty enforces even where an older metadata answer does not flag isUnique (§6.3).
const KNOWN_UNIQUE_FIELDS: Record<string, string[]> = { people: ["emails"], companies: ["domainName"] };

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function relationOf(field: TwentyFieldMetadata, bySingular: Map<string, string>, byId: Map<string, string>): TwentyRelationModel | null {
  if (field.type !== "RELATION" && field.type !== "MORPH_RELATION") return null;
  const kind = field.relation?.type ?? field.relationDefinition?.direction ?? field.settings?.relationType ?? null;
  const targetRef = field.relation?.targetObjectMetadata ?? field.relationDefinition?.targetObjectMetadata ?? null;
  let target =
    targetRef?.namePlural ??
    (targetRef?.nameSingular ? bySingular.get(targetRef.nameSingular) : undefined) ??
    (targetRef?.id ? byId.get(targetRef.id) : undefined) ??
    null;
  if (target === null) {
    // Morph fields of 1.17+ are named after their target ("targetPerson"); older ones after it ("person").
    const singular = field.name.startsWith("target") && field.name.length > 6 ? lowerFirst(field.name.slice(6)) : field.name;
    target = bySingular.get(singular) ?? null;
  }
  const manyToOne = kind === "MANY_TO_ONE" || (kind === null && Boolean(field.settings?.joinColumnName));
  const joinColumn = manyToOne ? (field.settings?.joinColumnName ?? `${field.name}Id`) : null;
  return { kind: manyToOne ? "MANY_TO_ONE" : kind, target, joinColumn };
}

function optionsOf(field: TwentyFieldMetadata): SelectOption[] {
  if (field.type === "RATING" && (!field.options || field.options.length === 0)) {
    return [1, 2, 3, 4, 5].map((rating) => ({ value: `RATING_${rating}`, label: String(rating) }));
  }
  return (field.options ?? [])
    .slice()
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
    .map((option) => ({ value: option.value, label: option.label ?? option.value }));
}

function buildTargetLink(parent: string, joinObject: TwentyObjectModel | undefined, bySingular: Map<string, string>): TwentyTargetLinkModel | null {
  if (!joinObject) return null;
  let parentColumn: string | null = null;
  const columns = new Map<string, string>();
  for (const field of joinObject.fields) {
    if (!field.active || !field.relation || field.relation.joinColumn === null || field.relation.target === null) continue;
    if (field.relation.target === parent) parentColumn = field.relation.joinColumn;
    else if (!columns.has(field.relation.target)) columns.set(field.relation.target, field.relation.joinColumn);
  }
  // Very old builds list the plain UUID columns ("personId") instead of relation fields.
  if (columns.size === 0) {
    for (const field of joinObject.fields) {
      if (field.nativeType !== "UUID" || !field.name.endsWith("Id") || field.name === "id") continue;
      const singular = lowerFirst(field.name.slice(0, -2).replace(/^target(?=[A-Z])/, ""));
      const target = bySingular.get(singular);
      if (target === parent) parentColumn = field.name;
      else if (target && !columns.has(target)) columns.set(target, field.name);
    }
  }
  return { joinObject: joinObject.namePlural, parentColumn: parentColumn ?? (parent === "notes" ? "noteId" : "taskId"), columns };
}

/** Builds the workspace model from the metadata API's object list (fields embedded). */
export function buildWorkspaceModel(rawObjects: TwentyObjectMetadata[]): TwentyWorkspaceModel {
  const bySingular = new Map(rawObjects.map((object) => [object.nameSingular, object.namePlural]));
  const byId = new Map(rawObjects.map((object) => [object.id, object.namePlural]));
  const objects: TwentyObjectModel[] = rawObjects.map((raw) => {
    const rawFields = raw.fields ?? [];
    const knownUnique = KNOWN_UNIQUE_FIELDS[raw.namePlural] ?? [];
    return {
      id: raw.id,
      nameSingular: raw.nameSingular,
      namePlural: raw.namePlural,
      label: raw.labelPlural ?? raw.namePlural,
      custom: raw.isCustom ?? false,
      system: raw.isSystem ?? false,
      active: raw.isActive ?? true,
      fields: rawFields.map((field) => ({
        id: field.id,
        name: field.name,
        label: field.label ?? field.name,
        nativeType: field.type,
        custom: field.isCustom ?? false,
        system: field.isSystem ?? false,
        active: field.isActive ?? true,
        nullable: field.isNullable ?? true,
        unique: (field.isUnique ?? false) || knownUnique.includes(field.name),
        defaultValue: field.defaultValue ?? null,
        options: optionsOf(field),
        rawOptions: field.options ?? [],
        relation: relationOf(field, bySingular, byId),
      })),
    };
  });
  const byPlural = new Map(objects.map((object) => [object.namePlural, object]));
  // Old RICH_TEXT (plain) coexists with RICH_TEXT_V2; from 2026 RICH_TEXT *is* the composite (§3.3).
  const allFields = objects.flatMap((object) => object.fields);
  const hasV2 = allFields.some((field) => field.nativeType === "RICH_TEXT_V2");
  const noteBody = byPlural.get("notes")?.fields.find((field) => field.name === "bodyV2");
  const richTextIsComposite = noteBody?.nativeType === "RICH_TEXT" || !hasV2;
  const targetLinks = new Map<string, TwentyTargetLinkModel>();
  for (const [parent, joinObject] of Object.entries(TARGET_JOIN_OBJECTS)) {
    const link = buildTargetLink(parent, byPlural.get(joinObject), bySingular);
    if (link) targetLinks.set(parent, link);
  }
  return { objects, byPlural, richTextIsComposite, richTextType: hasV2 ? "RICH_TEXT_V2" : "RICH_TEXT", targetLinks };
}

/** Objects Ferry exposes: the standard CRM objects plus active custom objects. */
export function exposedObjects(model: TwentyWorkspaceModel): TwentyObjectModel[] {
  const standard = STANDARD_OBJECTS.map((plural) => model.byPlural.get(plural)).filter((object): object is TwentyObjectModel => object !== undefined);
  const custom = model.objects.filter((object) => object.custom && object.active && !object.system);
  return [...standard, ...custom];
}
