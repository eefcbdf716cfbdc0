// Canonical field types between systems: compatibility, value transforms, auto-mapping.
export {
  COMPATIBILITY_LEVELS,
  COMPATIBILITY_MATRIX,
  compatibility,
  compatibilityTable,
  isCompatible,
  type Compatibility,
  type CompatibilityLevel,
} from "@/lib/mapping/compatibility";
export {
  canonicalValueSchema,
  createFieldSchema,
  fieldMappingSchema,
  transformOptionsSchema,
  type CreateField,
  type FieldMapping,
  type TransformOptions,
} from "@/lib/mapping/field-mapping";
export {
  asCountryCode,
  domainHost,
  isValidEmail,
  normalizeDomain,
  normalizeEmail,
  normalizePhone,
  normalizeUrl,
  parseBoolean,
  parseDate,
  parseDateTime,
  parseLocaleNumber,
} from "@/lib/mapping/normalize";
export { OPTION_SYNONYMS, labelOf, matchOption, optionKey } from "@/lib/mapping/options";
export {
  FIELD_SYNONYMS,
  nameWords,
  suggestFieldMappings,
  suggestValueMappings,
  toValueMap,
  type FieldMappingSuggestion,
  type MatchKind,
  type SuggestOptions,
  type ValueMappingSuggestion,
} from "@/lib/mapping/suggest";
export {
  acceptsManyRelations,
  addressToText,
  formatCurrency,
  htmlToText,
  isDomainField,
  joinFullName,
  splitFullName,
  textToHtml,
  transformValue,
  type TransformContext,
  type TransformResult,
} from "@/lib/mapping/transform-value";
export {
  ADDRESS_PARTS,
  describeValue,
  isAddress,
  isCurrency,
  isEmptyValue,
  isFullName,
  isPhone,
  isRelationRef,
  isStringList,
  isUserRef,
  type AddressPart,
} from "@/lib/mapping/values";
