// The site's reference data (statuses, priorities, types, sources, tags, inboxes, custom fields
// with options, agents), loaded once per session: describe() lists them as options, read()
// turns ids into names with them, write() turns names back into ids.
import type { HttpClient } from "@/connectors/shared/http-client";
import { listAll } from "./api";
import { customFieldModel } from "./mappers/custom-fields";
import type { CustomFieldModel } from "./mappers/custom-fields";
import { DeskCustomFieldOptionSchema, DeskCustomFieldSchema, DeskInboxSchema, DeskNamedSchema, DeskUserSchema } from "./raw-schemas";
import type { DeskInbox, DeskNamed, DeskUser } from "./raw-schemas";

export type SiteModel = {
  statuses: DeskNamed[];
  priorities: DeskNamed[];
  types: DeskNamed[];
  sources: DeskNamed[];
  tags: DeskNamed[];
  inboxes: DeskInbox[];
  customFields: CustomFieldModel[];
  users: DeskUser[];
};

function parseEach<T>(items: Record<string, unknown>[], parse: (item: unknown) => { success: true; data: T } | { success: false }): T[] {
  return items.map((item) => parse(item)).flatMap((result) => (result.success ? [result.data] : []));
}

/** §5.8: custom fields with `includes=customfieldoptions` (options under included.customfieldoptions). */
export async function loadCustomFields(client: HttpClient): Promise<CustomFieldModel[]> {
  const { items, included } = await listAll(client, "customfields", { includes: ["customfieldoptions"] });
  const options = parseEach([...(included.get("customfieldoptions")?.values() ?? [])], (item) => DeskCustomFieldOptionSchema.safeParse(item));
  return parseEach(items, (item) => DeskCustomFieldSchema.safeParse(item))
    .filter((field) => field.state !== "deleted")
    .map((field) => customFieldModel(field, options));
}

/** §5.6: agents; archived ones are listed too so old tickets keep their assignee. */
export async function loadUsers(client: HttpClient): Promise<DeskUser[]> {
  const { items } = await listAll(client, "users", { extra: { includeArchived: true } });
  return parseEach(items, (item) => DeskUserSchema.safeParse(item));
}

export async function loadInboxes(client: HttpClient): Promise<DeskInbox[]> {
  const { items } = await listAll(client, "inboxes");
  return parseEach(items, (item) => DeskInboxSchema.safeParse(item)).filter((inbox) => inbox.state !== "deleted");
}

async function loadNamed(client: HttpClient, resource: string): Promise<DeskNamed[]> {
  const { items } = await listAll(client, resource);
  return parseEach(items, (item) => DeskNamedSchema.safeParse(item))
    .filter((item) => item.state !== "deleted")
    .sort((a, b) => (a.displayOrder ?? 0) - (b.displayOrder ?? 0));
}

export async function loadSiteModel(client: HttpClient): Promise<SiteModel> {
  // §5.10, §5.9, §5.7, §5.8, §5.6: one list each, sequentially (they share the 120/min budget anyway).
  const statuses = await loadNamed(client, "ticketstatuses");
  const priorities = await loadNamed(client, "ticketpriorities");
  const types = await loadNamed(client, "tickettypes");
  const sources = await loadNamed(client, "ticketsources");
  const tags = await loadNamed(client, "tags");
  const inboxes = await loadInboxes(client);
  const customFields = await loadCustomFields(client);
  const users = await loadUsers(client);
  return { statuses, priorities, types, sources, tags, inboxes, customFields, users };
}
