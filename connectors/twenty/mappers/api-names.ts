// Names Twenty accepts for fields and select options (reference §3.1): field names are
// camelCase; option values are GraphQL enum names, by convention UPPER_SNAKE ([U] exact regex).

const FIELD_NAME = /^[a-z][a-zA-Z0-9]*$/;
const API_VALUE = /^[A-Z][A-Z0-9_]*$/;

function words(text: string): string[] {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== "");
}

/** A camelCase field name from a key or label: "Lead source" → "leadSource"; valid names are kept. */
export function toFieldName(keyOrLabel: string): string {
  if (FIELD_NAME.test(keyOrLabel)) return keyOrLabel;
  const parts = words(keyOrLabel);
  if (parts.length === 0) return "field";
  const camel = parts
    .map((part, index) => {
      const lower = part.toLowerCase();
      return index === 0 ? lower : lower.charAt(0).toUpperCase() + lower.slice(1);
    })
    .join("");
  return /^[a-z]/.test(camel) ? camel : `field${camel.charAt(0).toUpperCase()}${camel.slice(1)}`;
}

/** A select option API value from a label: "In progress" → "IN_PROGRESS", "1" → "OPTION_1". */
export function toApiValue(label: string): string {
  if (API_VALUE.test(label)) return label;
  const joined = words(label).join("_").toUpperCase();
  if (joined === "") return "OPTION";
  return /^[A-Z]/.test(joined) ? joined : `OPTION_${joined}`;
}
