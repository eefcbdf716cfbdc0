// Auto-mapping: which source field goes into which target field, by normalised key and label,
// a table of synonyms help desks and CRMs use for the same thing, and type compatibility. An
// incompatible pair is never suggested; each suggestion carries its compatibility level.
import type { FieldDescription, ObjectTypeDescription, SelectOption } from "@/connectors/types";
import { compatibility } from "@/lib/mapping/compatibility";
import type { FieldMapping } from "@/lib/mapping/field-mapping";
import { matchOption } from "@/lib/mapping/options";

/** Phrases (normalised: lower case, singular words, no separators) that name the same field. */
export const FIELD_SYNONYMS: readonly (readonly string[])[] = [
  ["customer", "person", "people", "contact", "requester", "client"],
  ["company", "organization", "organisation", "account"],
  ["subject", "title", "name"],
  ["body", "description", "content", "detail", "message", "bodyv2", "text"],
  ["assignee", "owner", "accountowner", "agent", "assignedto", "assigneduser"],
  ["domain", "domainname", "website", "webaddress"],
  ["phone", "phonenumber", "telephone", "tel"],
  ["mobile", "mobilephone", "cellphone", "cell"],
  ["email", "emailaddress", "primaryemail", "mail"],
  ["status", "state"],
  ["priority", "urgency"],
  ["tag", "label", "keyword"],
  ["dueat", "duedate", "due", "deadline"],
  ["closedate", "expectedclosedate", "closingdate"],
  ["amount", "dealvalue", "dealamount"],
  ["annualrevenue", "annualrecurringrevenue", "arr", "revenue"],
  ["employee", "employeecount", "headcount", "companysize"],
  ["address", "location", "postaladdress"],
  ["author", "createdby", "writer"],
  ["opportunity", "deal"],
];

/** Words that say nothing about what a field holds ("Linked People" is about people). */
const NOISE_WORDS = new Set(["targets", "target", "linked", "the", "of"]);
const MIN_SCORE = 60;

const GROUP_OF = new Map<string, number>(FIELD_SYNONYMS.flatMap((group, index) => group.map((phrase) => [phrase, index] as const)));

function singular(word: string): string {
  if (word === "people") return word;
  if (word.endsWith("ies") && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith("s") && !/(ss|us|is)$/.test(word) && word.length > 3) return word.slice(0, -1);
  return word;
}

/** "accountOwner" → ["account", "owner"]; "emails.additionalEmails" → ["email", "additional", "email"]. */
export function nameWords(keyOrLabel: string): string[] {
  return keyOrLabel
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== "" && !NOISE_WORDS.has(word))
    .map(singular);
}

function phrase(keyOrLabel: string): string {
  return nameWords(keyOrLabel).join("");
}

type Names = { phrases: string[]; groups: Set<number>; words: Set<string> };

function namesOf(field: FieldDescription): Names {
  const phrases = [...new Set([phrase(field.key), phrase(field.label)])].filter((text) => text !== "");
  const groups = new Set(phrases.map((text) => GROUP_OF.get(text)).filter((group): group is number => group !== undefined));
  const words = new Set(nameWords(field.key).map((word) => (GROUP_OF.has(word) ? `#${GROUP_OF.get(word)}` : word)));
  return { phrases, groups, words };
}

export type MatchKind = "key" | "label" | "synonym" | "words" | "relation";

/** How strongly two field names say "the same thing", 0 when they do not. */
function nameScore(source: FieldDescription, target: FieldDescription, sourceNames: Names, targetNames: Names): { score: number; by: MatchKind } | null {
  if (phrase(source.key) === phrase(target.key)) return { score: 100, by: "key" };
  if (sourceNames.phrases.some((text) => targetNames.phrases.includes(text))) return { score: 90, by: "label" };
  if ([...sourceNames.groups].some((group) => targetNames.groups.has(group))) return { score: 80, by: "synonym" };
  const shared = [...sourceNames.words].filter((word) => targetNames.words.has(word)).length;
  const union = new Set([...sourceNames.words, ...targetNames.words]).size;
  const jaccard = union === 0 ? 0 : shared / union;
  if (jaccard >= 0.5) return { score: Math.round(40 + 30 * jaccard), by: "words" };
  return null;
}

export type SuggestOptions = {
  /** Source object key → target object key, so a relation is only suggested onto a relation to the matching object. */
  objectMap?: Record<string, string>;
};

export type FieldMappingSuggestion = FieldMapping & {
  compatibility: NonNullable<FieldMapping["compatibility"]>;
  reason?: string;
  matchedBy: MatchKind;
  score: number;
};

const TYPE_BONUS = { exact: 10, lossless: 5, lossy: 0 } as const;

function relationFit(source: FieldDescription, target: FieldDescription, options: SuggestOptions): "same" | "other" | "unknown" {
  if (source.type !== "relation" || target.type !== "relation") return "unknown";
  if (!source.relatesTo || !target.relatesTo) return "unknown";
  // With an object map, a relation to an object that is not migrated would always break.
  const mapped = options.objectMap ? options.objectMap[source.relatesTo] : source.relatesTo;
  if (mapped === undefined) return "other";
  return mapped === target.relatesTo ? "same" : "other";
}

function candidate(
  source: FieldDescription,
  target: FieldDescription,
  options: SuggestOptions,
  sourceNames: Names,
  targetNames: Names,
): FieldMappingSuggestion | null {
  if (target.readOnly) return null;
  const compat = compatibility(source.type, target.type);
  if (compat.level === "incompatible") return null;
  const fit = relationFit(source, target, options);
  if (fit === "other") return null;
  let match = nameScore(source, target, sourceNames, targetNames);
  if (fit === "same") match = match ? { score: match.score + 25, by: match.by } : { score: 65, by: "relation" };
  if (match === null || match.score < MIN_SCORE) return null;
  const suggestion: FieldMappingSuggestion = {
    sourceField: source.key,
    targetField: target.key,
    compatibility: compat.level,
    matchedBy: match.by,
    score: match.score + TYPE_BONUS[compat.level],
    ...(compat.reason ? { reason: compat.reason } : {}),
  };
  const valueMap = valueMapFor(source, target);
  if (valueMap) suggestion.valueMap = valueMap;
  return suggestion;
}

function valueMapFor(source: FieldDescription, target: FieldDescription): Record<string, string> | undefined {
  const choice = new Set(["select", "multiselect", "tags"]);
  if (!choice.has(source.type) || !(target.type === "select" || target.type === "multiselect") || !source.options?.length || !target.options?.length)
    return undefined;
  const map = toValueMap(suggestValueMappings(source.options, target.options));
  return Object.keys(map).length > 0 ? map : undefined;
}

/** A name split across text fields ("firstName" + "lastName") on one side and one full name on the other. */
function namePartSuggestions(
  sourceObject: ObjectTypeDescription,
  targetObject: ObjectTypeDescription,
  usedSources: Set<string>,
  usedTargets: Set<string>,
): FieldMappingSuggestion[] {
  const part = (fields: FieldDescription[], name: "firstname" | "lastname") =>
    fields.find((field) => field.type === "text" && phrase(field.key) === name && !field.readOnly);
  const suggestions: FieldMappingSuggestion[] = [];
  const sourceName = sourceObject.fields.find((field) => field.type === "fullname" && !usedSources.has(field.key));
  const targetFirst = part(targetObject.fields, "firstname");
  const targetLast = part(targetObject.fields, "lastname");
  if (sourceName && targetFirst && targetLast && !usedTargets.has(targetFirst.key) && !usedTargets.has(targetLast.key)) {
    for (const [target, namePart] of [
      [targetFirst, "firstName"],
      [targetLast, "lastName"],
    ] as const) {
      suggestions.push({
        sourceField: sourceName.key,
        targetField: target.key,
        transform: { namePart },
        compatibility: "lossless",
        matchedBy: "key",
        score: 95,
      });
      usedTargets.add(target.key);
    }
    usedSources.add(sourceName.key);
  }
  const targetName = targetObject.fields.find((field) => field.type === "fullname" && !field.readOnly && !usedTargets.has(field.key));
  const sourceFirst = sourceObject.fields.find((field) => field.type === "text" && phrase(field.key) === "firstname");
  const sourceLast = sourceObject.fields.find((field) => field.type === "text" && phrase(field.key) === "lastname");
  if (targetName && sourceFirst && sourceLast && !usedSources.has(sourceFirst.key) && !usedSources.has(sourceLast.key)) {
    for (const [source, namePart] of [
      [sourceFirst, "firstName"],
      [sourceLast, "lastName"],
    ] as const) {
      suggestions.push({
        sourceField: source.key,
        targetField: targetName.key,
        transform: { namePart },
        compatibility: "lossless",
        matchedBy: "key",
        score: 95,
      });
      usedSources.add(source.key);
    }
    usedTargets.add(targetName.key);
  }
  return suggestions;
}

/**
 * Suggested field mappings from `sourceObject` onto `targetObject`: the best-scoring compatible
 * pairs first, each source and target field used at most once. Read-only target fields and
 * incompatible pairs are never suggested; select pairs come with a suggested value map.
 */
export function suggestFieldMappings(
  sourceObject: ObjectTypeDescription,
  targetObject: ObjectTypeDescription,
  options: SuggestOptions = {},
): FieldMappingSuggestion[] {
  const targetNames = new Map(targetObject.fields.map((field) => [field.key, namesOf(field)]));
  const candidates: FieldMappingSuggestion[] = [];
  for (const source of sourceObject.fields) {
    const sourceNames = namesOf(source);
    for (const target of targetObject.fields) {
      const suggestion = candidate(source, target, options, sourceNames, targetNames.get(target.key) as Names);
      if (suggestion) candidates.push(suggestion);
    }
  }
  // Stable: equal scores keep the target's field order, so the first listed field wins.
  candidates.sort((a, b) => b.score - a.score);
  const usedSources = new Set<string>();
  const usedTargets = new Set<string>();
  const chosen: FieldMappingSuggestion[] = [];
  for (const suggestion of candidates) {
    if (usedSources.has(suggestion.sourceField as string) || usedTargets.has(suggestion.targetField)) continue;
    usedSources.add(suggestion.sourceField as string);
    usedTargets.add(suggestion.targetField);
    chosen.push(suggestion);
  }
  chosen.push(...namePartSuggestions(sourceObject, targetObject, usedSources, usedTargets));
  const order = new Map(sourceObject.fields.map((field, index) => [field.key, index]));
  return chosen.sort((a, b) => (order.get(a.sourceField as string) ?? 0) - (order.get(b.sourceField as string) ?? 0));
}

export type ValueMappingSuggestion = { sourceValue: string; sourceLabel: string; targetValue: string | null };

/** For each source option, the target option it corresponds to (by value, normalised label, synonyms), or null. */
export function suggestValueMappings(sourceOptions: readonly SelectOption[], targetOptions: readonly SelectOption[]): ValueMappingSuggestion[] {
  return sourceOptions.map((option) => ({
    sourceValue: option.value,
    sourceLabel: option.label,
    targetValue: matchOption(option.value, targetOptions, option.label),
  }));
}

/** The matched rows as a plan value map (unmatched values left out, for the user to choose). */
export function toValueMap(rows: readonly ValueMappingSuggestion[]): Record<string, string> {
  return Object.fromEntries(rows.filter((row) => row.targetValue !== null).map((row) => [row.sourceValue, row.targetValue as string]));
}
