// The `filter` query parameter (reference §2.2), parsed the way Twenty's REST parsers do
// (`input-request-parsers/filter-parser-utils/*`: bracket check, implicit `and(...)`, depth-1
// comma split, `field[comparator]:value` leaves), then checked against the object's fields and
// evaluated with Postgres semantics (a comparison with NULL is never true; only `is` sees NULLs).
import { badRequest } from "./errors";
import { joinColumnOf, type FieldMetadata } from "./objects";
import { COMPOSITE_SUBFIELDS, isNumericSubField } from "./values";

export const FILTER_COMPARATORS = ["eq", "neq", "in", "containsAny", "is", "gt", "gte", "lt", "lte", "startsWith", "endsWith", "like", "ilike"] as const;
export type FilterComparator = (typeof FILTER_COMPARATORS)[number];

export type FilterNode =
  | { kind: "and" | "or"; children: FilterNode[] }
  | { kind: "not"; child: FilterNode }
  | { kind: "leaf"; path: string[]; comparator: FilterComparator; rawValue: string; source: string };

type ValueKind = "text" | "number" | "integer" | "boolean" | "datetime" | "enum" | "array";

/** A leaf resolved against the object's fields, with its value typed. */
type BoundLeaf = { path: string[]; comparator: FilterComparator; valueKind: ValueKind; value: unknown };
export type BoundFilter = { kind: "and" | "or"; children: BoundFilter[] } | { kind: "not"; child: BoundFilter } | ({ kind: "leaf" } & BoundLeaf);

const ROOT_CONJUNCTION = /^(and|or|not)\((.+)\)$/s;

export function parseFilterQuery(query: string): FilterNode {
  const opened = (query.match(/\(/g) ?? []).length;
  const closed = (query.match(/\)/g) ?? []).length;
  const diff = opened - closed;
  if (diff !== 0) {
    const hint = diff > 0 ? `${diff} close bracket${diff > 1 ? "s are" : " is"}` : `${-diff} open bracket${-diff > 1 ? "s are" : " is"}`;
    throw badRequest(`'filter' invalid. ${hint} missing in the query`);
  }
  // Several top-level leaves separated by commas are wrapped in and(...) (reference §2.2).
  return parseNode(ROOT_CONJUNCTION.test(query) ? query : `and(${query})`);
}

function parseNode(query: string): FilterNode {
  const match = ROOT_CONJUNCTION.exec(query);
  if (match) {
    const conjunction = match[1] as "and" | "or" | "not";
    const children = splitConjunctionContent(query).map(parseNode);
    if (conjunction === "not") {
      if (children.length > 1) throw badRequest("'filter' invalid. 'not' conjunction should contain only 1 condition. eg: not(field[eq]:1)");
      return { kind: "not", child: children[0] };
    }
    return { kind: conjunction, children };
  }
  return parseLeaf(query);
}

/** Splits `and(a,b,or(c,d))` into `a`, `b`, `or(c,d)`, ignoring commas in brackets and quotes. */
function splitConjunctionContent(query: string): string[] {
  let withinBrackets = false;
  let withinDoubleQuotes = false;
  let withinSingleQuotes = false;
  let depth = 0;
  const parts: string[] = [];
  let current = "";
  for (const character of query) {
    let keep = depth >= 1;
    if (character === "(") depth += 1;
    if (character === ")") {
      depth -= 1;
      keep = depth >= 1;
    }
    if (character === "[" || character === "]") withinBrackets = !withinBrackets;
    if (character === '"') withinDoubleQuotes = !withinDoubleQuotes;
    if (character === "'") withinSingleQuotes = !withinSingleQuotes;
    if (character === "," && depth === 1 && !withinBrackets && !withinDoubleQuotes && !withinSingleQuotes) {
      parts.push(current);
      current = "";
      keep = false;
    }
    if (keep) current += character;
  }
  parts.push(current);
  return parts;
}

function parseLeaf(leaf: string): FilterNode {
  if (!/^(.+)\[(.+)\]:(.+)$/s.test(leaf)) throw badRequest(`'filter' invalid for '${leaf}'. eg: price[gte]:10`);
  let fields = "";
  let comparator = "";
  let value = "";
  let fillFields = true;
  let fillComparator = false;
  let fillValue = false;
  for (const character of leaf) {
    if (fillValue) value += character;
    if (character === "]" && !fillValue) fillComparator = false;
    if (character === ":" && !fillComparator) fillValue = true;
    if (fillComparator) comparator += character;
    if (character === "[" && fillFields) {
      fillFields = false;
      fillComparator = true;
    }
    if (fillFields) fields += character;
  }
  if (!(FILTER_COMPARATORS as readonly string[]).includes(comparator)) {
    throw badRequest(`'filter' invalid for '${leaf}', comparator ${comparator} not in ${FILTER_COMPARATORS.join(", ")}`);
  }
  return { kind: "leaf", path: fields.split("."), comparator: comparator as FilterComparator, rawValue: value, source: leaf };
}

export function filterMentions(node: FilterNode, fieldName: string): boolean {
  if (node.kind === "leaf") return node.path[0] === fieldName;
  if (node.kind === "not") return filterMentions(node.child, fieldName);
  return node.children.some((child) => filterMentions(child, fieldName));
}

// ---------------------------------------------------------------------------------------------
// Binding to the object's fields
// ---------------------------------------------------------------------------------------------

export type FilterContext = { objectNameSingular: string; fields: FieldMetadata[] };

function valueKindOf(field: FieldMetadata, subField: string | undefined): ValueKind {
  if (subField !== undefined) {
    if (isNumericSubField(field.type, subField)) return "number";
    const kind = COMPOSITE_SUBFIELDS[field.type]?.[subField];
    return kind === "emailList" || kind === "linkList" || kind === "phoneList" ? "array" : "text";
  }
  switch (field.type) {
    case "NUMBER":
    case "POSITION":
      return "number";
    case "NUMERIC":
      return "integer";
    case "BOOLEAN":
      return "boolean";
    case "DATE_TIME":
    case "DATE":
      return "datetime";
    case "SELECT":
    case "RATING":
      return "enum";
    case "MULTI_SELECT":
    case "ARRAY":
      return "array";
    default:
      return "text";
  }
}

/** Twenty's formatFieldValue: lists for in/containsAny, numbers and booleans by field type, quotes stripped. */
function formatValue(raw: string, kind: ValueKind, comparator: FilterComparator): unknown {
  if (comparator === "in" || comparator === "containsAny") {
    if (raw[0] !== "[" || raw[raw.length - 1] !== "]") {
      throw badRequest(
        `'filter' invalid for '${comparator}' operator. Received '${raw}' but array value expected eg: 'field[${comparator}]:[value_1,value_2]'`,
      );
    }
    return raw
      .substring(1, raw.length - 1)
      .split(",")
      .map((item) => formatValue(item, kind, "eq"));
  }
  if (comparator === "is") return raw;
  if (kind === "integer") return parseInt(raw, 10);
  if (kind === "number") return parseFloat(raw);
  if (kind === "boolean") return raw.toLowerCase() === "true";
  if ((raw[0] === '"' || raw[0] === "'") && (raw.endsWith('"') || raw.endsWith("'")) && raw.length >= 2) return raw.substring(1, raw.length - 1);
  return raw;
}

export function bindFilter(node: FilterNode, context: FilterContext): BoundFilter {
  if (node.kind === "not") return { kind: "not", child: bindFilter(node.child, context) };
  if (node.kind !== "leaf") return { kind: node.kind, children: node.children.map((child) => bindFilter(child, context)) };
  const [name, subField, ...rest] = node.path;
  // The wording of unknown-field errors is not in the reference [U].
  const unknownField = () => badRequest(`Invalid filter : ${context.objectNameSingular} object doesn't have any "${node.path.join(".")}" field`);
  const field = context.fields.find((candidate) => candidate.name === name || joinColumnOf(candidate) === name);
  if (!field || rest.length > 0) throw unknownField();
  let kind: ValueKind;
  if (joinColumnOf(field) === name) {
    if (subField !== undefined) throw unknownField();
    kind = "text";
  } else {
    if (field.type === "RELATION" || field.type === "MORPH_RELATION") throw unknownField();
    const subFields = COMPOSITE_SUBFIELDS[field.type];
    if (subFields ? subField === undefined || !(subField in subFields) : subField !== undefined) throw unknownField();
    kind = valueKindOf(field, subField);
  }
  const value = formatValue(node.rawValue, kind, node.comparator);
  if (node.comparator === "is" && value !== "NULL" && value !== "NOT_NULL") {
    throw badRequest(`'filter' invalid for '${node.source}'. 'is' accepts NULL or NOT_NULL. eg: deletedAt[is]:NULL`);
  }
  if (kind === "enum" && field.options && ["eq", "neq", "in"].includes(node.comparator)) {
    const allowed = field.options.map((option) => option.value);
    const wrong = (Array.isArray(value) ? value : [value]).find((item) => !allowed.includes(String(item)));
    // check-filter-enum-values exists upstream; its wording is not in the reference [U].
    if (wrong !== undefined)
      throw badRequest(
        `'filter' invalid for '${node.source}': '${String(wrong)}' is not a valid value for ${field.name}. Allowed values are ${allowed.join(", ")}`,
      );
  }
  return { kind: "leaf", path: node.path, comparator: node.comparator, valueKind: kind, value };
}

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

/** The value at a field path (`name.firstName`) of a projected record; null where the path leads nowhere. */
export function valueAt(record: Record<string, unknown>, path: string[]): unknown {
  let current: unknown = record;
  for (const key of path) {
    if (current === null || typeof current !== "object") return null;
    current = (current as Record<string, unknown>)[key];
  }
  return current ?? null;
}

function compare(actual: unknown, expected: unknown, kind: ValueKind): number {
  if (kind === "datetime") return Date.parse(String(actual)) - Date.parse(String(expected));
  if (typeof actual === "number" && typeof expected === "number") return actual - expected;
  if (kind === "number" || kind === "integer") return Number(actual) - Number(expected);
  const left = String(actual);
  const right = String(expected);
  return left < right ? -1 : left > right ? 1 : 0;
}

function equals(actual: unknown, expected: unknown, kind: ValueKind): boolean {
  if (kind === "datetime") return compare(actual, expected, kind) === 0;
  if (kind === "boolean") return actual === expected;
  if (kind === "number" || kind === "integer") return Number(actual) === Number(expected);
  return String(actual) === String(expected);
}

function likePattern(pattern: string, caseInsensitive: boolean): RegExp {
  const source = [...pattern]
    .map((character) => (character === "%" ? ".*" : character === "_" ? "." : character.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, caseInsensitive ? "is" : "s");
}

function matchesLeaf(leaf: BoundLeaf, record: Record<string, unknown>): boolean {
  const actual = valueAt(record, leaf.path);
  if (leaf.comparator === "is") return leaf.value === "NULL" ? actual === null : actual !== null;
  if (actual === null) return false;
  switch (leaf.comparator) {
    case "eq":
      return Array.isArray(actual) ? JSON.stringify(actual) === JSON.stringify(leaf.value) : equals(actual, leaf.value, leaf.valueKind);
    case "neq":
      return Array.isArray(actual) ? JSON.stringify(actual) !== JSON.stringify(leaf.value) : !equals(actual, leaf.value, leaf.valueKind);
    case "in":
      return (leaf.value as unknown[]).some((item) => equals(actual, item, leaf.valueKind));
    case "containsAny":
      return Array.isArray(actual) && (leaf.value as unknown[]).some((item) => actual.some((element) => String(element) === String(item)));
    case "gt":
      return compare(actual, leaf.value, leaf.valueKind) > 0;
    case "gte":
      return compare(actual, leaf.value, leaf.valueKind) >= 0;
    case "lt":
      return compare(actual, leaf.value, leaf.valueKind) < 0;
    case "lte":
      return compare(actual, leaf.value, leaf.valueKind) <= 0;
    case "startsWith":
      return String(actual).startsWith(String(leaf.value));
    case "endsWith":
      return String(actual).endsWith(String(leaf.value));
    case "like":
      return likePattern(String(leaf.value), false).test(String(actual));
    case "ilike":
      return likePattern(String(leaf.value), true).test(String(actual));
  }
}

export function matchesFilter(filter: BoundFilter, record: Record<string, unknown>): boolean {
  switch (filter.kind) {
    case "and":
      return filter.children.every((child) => matchesFilter(child, record));
    case "or":
      return filter.children.some((child) => matchesFilter(child, record));
    case "not":
      return !matchesFilter(filter.child, record);
    case "leaf":
      return matchesLeaf(filter, record);
  }
}
