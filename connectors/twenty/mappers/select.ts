// SELECT / MULTI_SELECT values (reference §3.1, §3.3): records carry the option's API value
// (e.g. "WEB"), never its label. Values from another system are matched to an option by value,
// then by label, then by the API value Ferry would generate for that label (api-names.ts).
import { ConnectorError } from "@/connectors/types";
import type { SelectOption } from "@/connectors/types";
import { toApiValue } from "./api-names";

function normalized(text: string): string {
  return text.trim().toLowerCase();
}

/** The option API value for `value`, or a VALIDATION error listing the allowed values. */
export function selectToTwenty(value: string, options: SelectOption[], field: string): string {
  const wanted = value.trim();
  const byValue = options.find((option) => option.value === wanted) ?? options.find((option) => normalized(option.value) === normalized(wanted));
  if (byValue) return byValue.value;
  const byLabel = options.find((option) => normalized(option.label) === normalized(wanted));
  if (byLabel) return byLabel.value;
  const generated = toApiValue(wanted);
  const byGenerated = options.find((option) => option.value === generated);
  if (byGenerated) return byGenerated.value;
  const allowed = options.map((option) => option.value).join(", ");
  throw new ConnectorError("VALIDATION", `${field}: "${value}" is not an option (allowed: ${allowed || "none"})`, { field });
}

export function multiSelectToTwenty(values: string | string[], options: SelectOption[], field: string): string[] {
  const list = Array.isArray(values)
    ? values
    : values
        .split(",")
        .map((item) => item.trim())
        .filter((item) => item !== "");
  return [...new Set(list.map((value) => selectToTwenty(value, options, field)))];
}

export function selectFromTwenty(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

export function multiSelectFromTwenty(value: unknown): string[] | null {
  if (!Array.isArray(value)) return null;
  const values = value.filter((item): item is string => typeof item === "string");
  return values.length === 0 ? null : values;
}
