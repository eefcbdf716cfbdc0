// The `filter=` query parameter (reference §2.4): URL-encoded JSON with Mongo-style operators
// $eq $ne $lt $lte $gt $gte $in $nin $and $or $contains; several keys in one object are ANDed;
// $all, $nor and $not are documented as unsupported and answer 400 here.
import { validation } from "./errors";
import { isObject } from "./input";

export type FilterScalar = string | number | boolean | null;

/**
 * How a filter key reads an entity. `kind` decides comparison: dates compare as instants, ids and
 * numbers numerically ("16" equals 16, as the reference's own example quotes ids), strings
 * case-insensitively (the reference shows email lookups; MySQL-style collation is [U]).
 * A getter returning an array is a to-many relationship: it matches when any element does.
 */
export type FilterField<T> = { kind: "date" | "id" | "number" | "string" | "boolean"; get: (row: T) => FilterScalar | FilterScalar[] };
export type FilterSpec<T> = Record<string, FilterField<T>>;

export type CompiledFilter<T> = { test: (row: T) => boolean; fields: Set<string> };

const COMPARISONS = ["$eq", "$ne", "$lt", "$lte", "$gt", "$gte", "$in", "$nin", "$contains"] as const;
type Comparison = (typeof COMPARISONS)[number];
const UNSUPPORTED = new Set(["$all", "$nor", "$not"]);

type Normalized = { kind: "null" } | { kind: "value"; value: string | number | boolean };

function normalize(kind: FilterField<unknown>["kind"], value: unknown, source: string): Normalized {
  if (value === null) return { kind: "null" };
  switch (kind) {
    case "date": {
      const ms = typeof value === "string" ? Date.parse(value) : Number.NaN;
      if (Number.isNaN(ms)) throw validation(`"${String(value)}" is not an RFC 3339 date-time`, source);
      return { kind: "value", value: ms };
    }
    case "id":
    case "number": {
      const number = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN;
      if (Number.isNaN(number)) throw validation(`"${String(value)}" is not a number`, source);
      return { kind: "value", value: number };
    }
    case "boolean": {
      if (typeof value === "boolean") return { kind: "value", value };
      if (value === "true" || value === "false") return { kind: "value", value: value === "true" };
      throw validation(`"${String(value)}" is not a boolean`, source);
    }
    case "string":
      if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") throw validation("must be a string", source);
      return { kind: "value", value: String(value).toLowerCase() };
  }
}

function compare(left: Normalized, right: Normalized): number | null {
  if (left.kind === "null" || right.kind === "null") return left.kind === right.kind ? 0 : null;
  if (left.value === right.value) return 0;
  if (typeof left.value !== typeof right.value) return null;
  return left.value < right.value ? -1 : 1;
}

function scalarMatches(operator: Comparison, left: Normalized, operand: Normalized | Normalized[]): boolean {
  if (Array.isArray(operand)) {
    const found = operand.some((entry) => compare(left, entry) === 0);
    return operator === "$in" ? found : !found;
  }
  if (operator === "$contains") {
    return left.kind === "value" && operand.kind === "value" && String(left.value).includes(String(operand.value));
  }
  const order = compare(left, operand);
  switch (operator) {
    case "$eq":
      return order === 0;
    case "$ne":
      return order !== 0;
    case "$lt":
      return order !== null && order < 0 && left.kind === "value";
    case "$lte":
      return order !== null && order <= 0 && left.kind === "value";
    case "$gt":
      return order !== null && order > 0 && left.kind === "value";
    case "$gte":
      return order !== null && order >= 0 && left.kind === "value";
    default:
      return false;
  }
}

function compileField<T>(field: FilterField<T>, condition: unknown, source: string): (row: T) => boolean {
  // A bare value is an implicit $eq (an array, an implicit $in).
  const operators: Record<string, unknown> =
    isObject(condition) && Object.keys(condition).some((key) => key.startsWith("$"))
      ? condition
      : Array.isArray(condition)
        ? { $in: condition }
        : { $eq: condition };
  const tests: ((row: T) => boolean)[] = [];
  for (const [operator, operand] of Object.entries(operators)) {
    if (UNSUPPORTED.has(operator)) throw validation(`operator ${operator} is not supported`, source);
    if (!(COMPARISONS as readonly string[]).includes(operator)) throw validation(`unknown operator ${operator}`, source);
    const comparison = operator as Comparison;
    let normalized: Normalized | Normalized[];
    if (comparison === "$in" || comparison === "$nin") {
      if (!Array.isArray(operand)) throw validation(`${comparison} takes an array`, source);
      normalized = operand.map((entry) => normalize(field.kind, entry, source));
    } else {
      normalized = normalize(
        comparison === "$contains" ? (field.kind === "id" || field.kind === "number" ? field.kind : "string") : field.kind,
        operand,
        source,
      );
    }
    // On a to-many relationship the negative operators mean "none matches".
    const negative = comparison === "$ne" || comparison === "$nin";
    tests.push((row) => {
      const raw = field.get(row);
      const values = (Array.isArray(raw) ? raw : [raw]).map((value) => {
        if (value === null) return { kind: "null" } as Normalized;
        if (field.kind === "date") return { kind: "value", value: Date.parse(String(value)) } as Normalized;
        if (field.kind === "string") return { kind: "value", value: String(value).toLowerCase() } as Normalized;
        return { kind: "value", value } as Normalized;
      });
      if (Array.isArray(raw)) {
        if (negative) return values.every((value) => scalarMatches(comparison, value, normalized));
        return values.some((value) => scalarMatches(comparison, value, normalized));
      }
      return scalarMatches(comparison, values[0], normalized);
    });
  }
  return (row) => tests.every((test) => test(row));
}

function compileNode<T>(node: unknown, spec: FilterSpec<T>, fields: Set<string>): (row: T) => boolean {
  if (!isObject(node)) throw validation("filter must be a JSON object", "filter");
  const tests: ((row: T) => boolean)[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === "$and" || key === "$or") {
      if (!Array.isArray(value) || value.length === 0) throw validation(`${key} takes a non-empty array`, "filter");
      const branches = value.map((branch) => compileNode(branch, spec, fields));
      tests.push(key === "$and" ? (row) => branches.every((branch) => branch(row)) : (row) => branches.some((branch) => branch(row)));
      continue;
    }
    if (UNSUPPORTED.has(key)) throw validation(`operator ${key} is not supported`, "filter");
    if (key.startsWith("$")) throw validation(`unknown operator ${key}`, "filter");
    const field = spec[key];
    // Unknown keys are refused rather than ignored: a typo must not turn an incremental sync
    // into a full one (the real API's answer to an unknown key is [U]).
    if (!field) throw validation(`"${key}" cannot be used in a filter here`, "filter");
    fields.add(key);
    tests.push(compileField(field, value, `filter.${key}`));
  }
  return (row) => tests.every((test) => test(row));
}

/** Parses and compiles `filter=`; throws the reference's 400 on bad JSON, keys or operators. */
export function compileFilter<T>(raw: string, spec: FilterSpec<T>): CompiledFilter<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw validation("filter is not valid JSON", "filter");
  }
  const fields = new Set<string>();
  const test = compileNode(parsed, spec, fields);
  return { test, fields };
}
