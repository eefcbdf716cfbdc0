// What Ferry reads once per session about a Pipedrive company: users (§5.6), pipelines and stages
// (§5.3), activity types (§5.4) and the field definitions of each entity (§6.2). describe(), the
// mappers and the prerequisites all work from this one model.
import type { HttpClient } from "@/connectors/shared/http-client";
import { fetchAllV2 } from "./api";
import { PipedriveActivityTypeSchema, PipedriveFieldSchema, PipedrivePipelineSchema, PipedriveStageSchema, PipedriveUserSchema } from "./raw-schemas";
import type { PipedriveField } from "./raw-schemas";
import type { z } from "zod";

/** The label of the custom text field that holds each record's source id in Pipedrive (reference §8). */
export const FERRY_SOURCE_ID_LABEL = "Ferry source id";

/** §1.3: the field collection of each object type that has custom fields. */
export const FIELD_COLLECTIONS = {
  organizations: "organizationFields",
  persons: "personFields",
  deals: "dealFields",
  activities: "activityFields",
} as const;
export type FieldedObjectType = keyof typeof FIELD_COLLECTIONS;
/** §6.2: the objects whose custom fields the API can create (activity fields are listed, never created). */
export const CREATABLE_FIELD_OBJECTS: ReadonlySet<string> = new Set(["organizations", "persons", "deals"]);

export type PipedriveUser = z.infer<typeof PipedriveUserSchema>;

export type CompanyModel = {
  users: PipedriveUser[];
  pipelines: z.infer<typeof PipedrivePipelineSchema>[];
  stages: z.infer<typeof PipedriveStageSchema>[];
  activityTypes: z.infer<typeof PipedriveActivityTypeSchema>[];
  /** Custom fields only (is_custom_field), per object type. */
  customFields: Record<FieldedObjectType, PipedriveField[]>;
};

export function isFerrySourceIdField(field: PipedriveField): boolean {
  return field.field_name.trim().toLowerCase() === FERRY_SOURCE_ID_LABEL.toLowerCase() && ["varchar", "text"].includes(field.field_type);
}

/** The hash key of the Ferry source id field of an object type, if it has one. */
export function ferrySourceIdCode(model: CompanyModel, objectType: string): string | null {
  const fields = model.customFields[objectType as FieldedObjectType] ?? [];
  return fields.find(isFerrySourceIdField)?.field_code ?? null;
}

export async function fetchUsers(client: HttpClient): Promise<PipedriveUser[]> {
  // §5.6: GET /api/v1/users answers every user at once.
  const response = await client.request({ method: "GET", path: "/api/v1/users" });
  const data = (response.data as { data?: unknown }).data;
  return Array.isArray(data) ? data.map((user) => PipedriveUserSchema.parse(user)) : [];
}

export async function loadCompanyModel(client: HttpClient): Promise<CompanyModel> {
  const users = await fetchUsers(client);
  const pipelines = (await fetchAllV2(client, "pipelines")).map((item) => PipedrivePipelineSchema.parse(item));
  const stages = (await fetchAllV2(client, "stages")).map((item) => PipedriveStageSchema.parse(item));
  // §5.4: activity types are v1 and not paged.
  const typesResponse = await client.request({ method: "GET", path: "/api/v1/activityTypes" });
  const typeData = (typesResponse.data as { data?: unknown }).data;
  const activityTypes = (Array.isArray(typeData) ? typeData : [])
    .map((item) => PipedriveActivityTypeSchema.parse(item))
    .filter((type) => type.active_flag !== false);
  const customFields = {} as Record<FieldedObjectType, PipedriveField[]>;
  for (const [objectType, collection] of Object.entries(FIELD_COLLECTIONS) as [FieldedObjectType, string][]) {
    const fields = (await fetchAllV2(client, collection)).map((item) => PipedriveFieldSchema.parse(item));
    customFields[objectType] = fields.filter((field) => field.is_custom_field === true);
  }
  return { users, pipelines, stages, activityTypes, customFields };
}
