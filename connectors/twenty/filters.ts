// Builders for Twenty's REST filter grammar (reference §2.2): `field[comparator]:value`,
// dotted composite sub-fields, `[in]:[a,b]` lists, and nestable and()/or().

// Characters that make a bare value ambiguous in the grammar; such values are quoted (§2.2).
const NEEDS_QUOTES = /[\s,:"'%]/;
// Twenty's parser counts parentheses and brackets over the whole filter before it looks at
// quotes (filter-parser-utils), so a value holding them cannot be expressed at all.
const UNENCODABLE = /[()[\]]/;

/**
 * A value as the filter grammar needs it, or null when it cannot be written safely (brackets,
 * or both quote characters, for which the reference documents no escape).
 */
export function filterValue(value: string): string | null {
  if (UNENCODABLE.test(value)) return null;
  if (value !== "" && !NEEDS_QUOTES.test(value)) return value;
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  return null;
}

export function eqFilter(path: string, value: string): string | null {
  const encoded = filterValue(value);
  return encoded === null ? null : `${path}[eq]:${encoded}`;
}

/**
 * `path[in]:[a,b]`, skipping values that cannot be encoded; null when none remain. List items
 * are split on every comma before quotes are looked at, so values with a comma become separate
 * `eq` leaves in an or().
 */
export function inFilter(path: string, values: string[]): string | null {
  const unique = [...new Set(values)];
  const listed = unique
    .filter((value) => !value.includes(","))
    .map(filterValue)
    .filter((value): value is string => value !== null);
  const separate = unique.filter((value) => value.includes(",")).map((value) => eqFilter(path, value));
  return orFilter([listed.length === 0 ? null : `${path}[in]:[${listed.join(",")}]`, ...separate]);
}

export function ilikeFilter(path: string, pattern: string): string | null {
  const encoded = filterValue(pattern);
  return encoded === null ? null : `${path}[ilike]:${encoded}`;
}

export function gteFilter(path: string, value: string): string {
  return `${path}[gte]:"${value}"`;
}

function combine(operator: "and" | "or", parts: (string | null)[]): string | null {
  const present = parts.filter((part): part is string => part !== null && part !== "");
  if (present.length === 0) return null;
  if (present.length === 1) return present[0];
  return `${operator}(${present.join(",")})`;
}

export function orFilter(parts: (string | null)[]): string | null {
  return combine("or", parts);
}

export function andFilter(parts: (string | null)[]): string | null {
  return combine("and", parts);
}
