// Twenty field types (FieldMetadataType, reference §3.3) and Ferry's canonical types.
import type { CanonicalFieldType } from "@/connectors/types";

export type NativeTypeMapping = { type: CanonicalFieldType; readOnly: boolean } | null;

/**
 * Canonical type of a Twenty field type. `richTextIsComposite` says whether plain `RICH_TEXT`
 * is the 2026 rename of RICH_TEXT_V2 (markdown + blocknote) or the old plain-text type (§3.3).
 * Null means the field is not exposed (search vectors, positions of rows are kept as numbers).
 */
export function canonicalTypeFor(nativeType: string, richTextIsComposite: boolean): NativeTypeMapping {
  switch (nativeType) {
    case "TEXT":
    case "UUID":
      return { type: "text", readOnly: nativeType === "UUID" };
    case "RICH_TEXT_V2":
      return { type: "html", readOnly: false };
    case "RICH_TEXT":
      return { type: richTextIsComposite ? "html" : "longtext", readOnly: false };
    case "RICH_TEXT_DEPRECATED":
      return { type: "longtext", readOnly: false };
    case "NUMBER":
    case "NUMERIC":
    case "POSITION":
      return { type: "number", readOnly: false };
    case "BOOLEAN":
      return { type: "boolean", readOnly: false };
    case "DATE":
      return { type: "date", readOnly: false };
    case "DATE_TIME":
      return { type: "datetime", readOnly: false };
    case "EMAILS":
      return { type: "email", readOnly: false };
    case "PHONES":
      return { type: "phone", readOnly: false };
    case "LINKS":
      return { type: "url", readOnly: false };
    case "SELECT":
    case "RATING":
      return { type: "select", readOnly: false };
    case "MULTI_SELECT":
      return { type: "multiselect", readOnly: false };
    case "RELATION":
      return { type: "relation", readOnly: false };
    case "CURRENCY":
      return { type: "currency", readOnly: false };
    case "FULL_NAME":
      return { type: "fullname", readOnly: false };
    case "ADDRESS":
      return { type: "address", readOnly: false };
    case "ARRAY":
      return { type: "tags", readOnly: false };
    // Computed or internal: readable for the audit, never written.
    case "ACTOR":
      return { type: "text", readOnly: true };
    case "RAW_JSON":
      return { type: "longtext", readOnly: true };
    case "MORPH_RELATION":
      return { type: "relation", readOnly: true };
    case "TS_VECTOR":
      return null;
    default:
      // FILES and other newer composites (§3.3 [U]): shown read-only so nothing is silently lost.
      return { type: "text", readOnly: true };
  }
}

/**
 * The Twenty type Ferry creates for a canonical type (applyFix). `richTextType` is the name the
 * instance uses for the markdown/blocknote composite (RICH_TEXT_V2, or RICH_TEXT from 2026).
 * Null: cannot be created as a plain field (relations and users need a target object).
 */
export function nativeTypeFor(type: CanonicalFieldType, richTextType: string): string | null {
  switch (type) {
    case "text":
      return "TEXT";
    case "longtext":
      return "TEXT";
    case "html":
      return richTextType;
    case "number":
      return "NUMBER";
    case "boolean":
      return "BOOLEAN";
    case "date":
      return "DATE";
    case "datetime":
      return "DATE_TIME";
    case "email":
      return "EMAILS";
    case "phone":
      return "PHONES";
    case "url":
      return "LINKS";
    case "select":
      return "SELECT";
    case "multiselect":
      return "MULTI_SELECT";
    case "currency":
      return "CURRENCY";
    case "fullname":
      return "FULL_NAME";
    case "address":
      return "ADDRESS";
    case "tags":
      return "ARRAY";
    case "user":
    case "relation":
      return null;
  }
}

// Which existing target type can hold values planned as another type without loss of meaning.
const COMPATIBLE: Partial<Record<CanonicalFieldType, CanonicalFieldType[]>> = {
  text: ["longtext", "html"],
  longtext: ["text", "html"],
  html: ["longtext"],
  tags: ["multiselect"],
  multiselect: ["tags"],
};

/** Whether an existing field of type `actual` can receive values planned as `planned`. */
export function isCompatibleType(planned: CanonicalFieldType, actual: CanonicalFieldType): boolean {
  return planned === actual || (COMPATIBLE[planned]?.includes(actual) ?? false);
}
