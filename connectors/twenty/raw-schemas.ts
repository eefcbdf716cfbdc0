// Raw Twenty payloads, parsed with zod at the client edge (docs/reference/twenty-api.md).
// Schemas are lenient (loose objects, nullish everywhere the reference is unsure) because
// Twenty ships fast and several response formats coexist (§3.1, §5.2).
import { z } from "zod";

/** One record as the core REST API returns it at depth=0 (§2.3): composite and scalar fields by name. */
export const TwentyRecordSchema = z.looseObject({
  id: z.string(),
  createdAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
  deletedAt: z.string().nullish(),
});
export type TwentyRecord = z.infer<typeof TwentyRecordSchema>;

export const TwentyPageInfoSchema = z.looseObject({
  hasNextPage: z.boolean().nullish(),
  hasPreviousPage: z.boolean().nullish(),
  startCursor: z.string().nullish(),
  endCursor: z.string().nullish(),
});

/** Find-many envelope (§2.3): `{ data: { <plural>: [...] }, pageInfo, totalCount }`. */
export const TwentyListResponseSchema = z.looseObject({
  data: z.record(z.string(), z.unknown()),
  pageInfo: TwentyPageInfoSchema.nullish(),
  totalCount: z.number().nullish(),
});
export type TwentyListResponse = z.infer<typeof TwentyListResponseSchema>;

/** Any write envelope (§2.3): `{ data: { createPeople: [...] } }`, `{ data: { deletePerson: {...} } }`. */
export const TwentyWriteResponseSchema = z.looseObject({
  data: z.record(z.string(), z.unknown()),
});

/** Error body (§6.2). `messages` is the documented array; `message` appears on some framework errors. */
export const TwentyErrorBodySchema = z.looseObject({
  statusCode: z.number().nullish(),
  error: z.string().nullish(),
  messages: z.array(z.string()).nullish(),
  message: z.union([z.string(), z.array(z.string())]).nullish(),
  code: z.string().nullish(),
});
export type TwentyErrorBody = z.infer<typeof TwentyErrorBodySchema>;

/** GraphQL error answer (§7 [U shape]): `errors[].extensions.code`, and `retryAfterMs` on a throttled call. */
export const TwentyGraphqlErrorBodySchema = z.looseObject({
  errors: z
    .array(
      z.looseObject({
        message: z.string().nullish(),
        extensions: z.looseObject({ code: z.string().nullish(), retryAfterMs: z.number().nullish(), userFriendlyMessage: z.string().nullish() }).nullish(),
      }),
    )
    .min(1),
});

const TwentyObjectRefSchema = z.looseObject({
  id: z.string().nullish(),
  nameSingular: z.string().nullish(),
  namePlural: z.string().nullish(),
});

export const TwentySelectOptionSchema = z.looseObject({
  id: z.string().nullish(),
  value: z.string(),
  label: z.string().nullish(),
  color: z.string().nullish(),
  position: z.number().nullish(),
});
export type TwentySelectOption = z.infer<typeof TwentySelectOptionSchema>;

/** Field item of the metadata API (§3.1). `relationDefinition` is the pre-2025 name of `relation`. */
export const TwentyFieldMetadataSchema = z.looseObject({
  id: z.string(),
  type: z.string(),
  name: z.string(),
  label: z.string().nullish(),
  description: z.string().nullish(),
  isCustom: z.boolean().nullish(),
  isActive: z.boolean().nullish(),
  isSystem: z.boolean().nullish(),
  isNullable: z.boolean().nullish(),
  isUnique: z.boolean().nullish(),
  defaultValue: z.unknown().optional(),
  options: z.array(TwentySelectOptionSchema).nullish(),
  settings: z.looseObject({ joinColumnName: z.string().nullish(), relationType: z.string().nullish() }).nullish(),
  objectMetadataId: z.string().nullish(),
  relation: z
    .looseObject({
      type: z.string().nullish(),
      targetObjectMetadata: TwentyObjectRefSchema.nullish(),
      targetFieldMetadata: z.looseObject({ id: z.string().nullish(), name: z.string().nullish() }).nullish(),
    })
    .nullish(),
  relationDefinition: z
    .looseObject({
      direction: z.string().nullish(),
      targetObjectMetadata: TwentyObjectRefSchema.nullish(),
    })
    .nullish(),
});
export type TwentyFieldMetadata = z.infer<typeof TwentyFieldMetadataSchema>;

/** Object item of the metadata API (§3.1); `fields` may be absent in some list formats. */
export const TwentyObjectMetadataSchema = z.looseObject({
  id: z.string(),
  nameSingular: z.string(),
  namePlural: z.string(),
  labelSingular: z.string().nullish(),
  labelPlural: z.string().nullish(),
  description: z.string().nullish(),
  isCustom: z.boolean().nullish(),
  isActive: z.boolean().nullish(),
  isSystem: z.boolean().nullish(),
  fields: z.array(TwentyFieldMetadataSchema).nullish(),
});
export type TwentyObjectMetadata = z.infer<typeof TwentyObjectMetadataSchema>;

/**
 * Metadata list (§3.1): legacy `{ data: { objects: [...] } }` or 2026 `{ data: [...] }`, both
 * with pageInfo/totalCount. Items are parsed one by one by the caller.
 */
export const TwentyMetadataListSchema = z.looseObject({
  data: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]),
  pageInfo: TwentyPageInfoSchema.nullish(),
  totalCount: z.number().nullish(),
});

/** Metadata single item: legacy `{ data: { createOneField: {...} } }` or a bare object (§3.1). */
export const TwentyMetadataItemSchema = z.looseObject({ data: z.record(z.string(), z.unknown()).nullish(), id: z.string().nullish() });

export const TwentyWorkspaceMemberSchema = z.looseObject({
  id: z.string(),
  userEmail: z.string().nullish(),
  name: z.looseObject({ firstName: z.string().nullish(), lastName: z.string().nullish() }).nullish(),
});
export type TwentyWorkspaceMember = z.infer<typeof TwentyWorkspaceMemberSchema>;

export const TwentyWorkflowSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  statuses: z.array(z.string()).nullish(),
});
export type TwentyWorkflow = z.infer<typeof TwentyWorkflowSchema>;

export const TwentyWorkflowVersionSchema = z.looseObject({
  id: z.string(),
  workflowId: z.string().nullish(),
  status: z.string().nullish(),
  trigger: z
    .looseObject({
      type: z.string().nullish(),
      settings: z.looseObject({ eventName: z.string().nullish() }).nullish(),
    })
    .nullish(),
});
export type TwentyWorkflowVersion = z.infer<typeof TwentyWorkflowVersionSchema>;

export const TwentyWebhookSchema = z.looseObject({
  id: z.string(),
  targetUrl: z.string().nullish(),
  operations: z.array(z.string()).nullish(),
  description: z.string().nullish(),
});
export type TwentyWebhook = z.infer<typeof TwentyWebhookSchema>;

/** GraphQL answer to `currentWorkspace { displayName }` ([U]: not in the reference, best effort). */
export const TwentyCurrentWorkspaceSchema = z.looseObject({
  data: z.looseObject({ currentWorkspace: z.looseObject({ displayName: z.string().nullish() }).nullish() }).nullish(),
});
