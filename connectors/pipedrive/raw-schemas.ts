// Pipedrive's raw payloads, parsed at the client edge (reference §2, §5, §6). Records are kept
// loose (`passthrough`): Ferry reads the fields it knows and leaves the rest.
import { z } from "zod";

/** §2.2: `{ success: false, error, error_info?, errorCode? }`. */
export const PipedriveErrorBodySchema = z.object({ success: z.literal(false), error: z.string() }).passthrough();

/** §3.1: `additional_data.next_cursor`, null or absent on the last page. */
export const PipedriveCursorListSchema = z.object({
  success: z.literal(true),
  data: z.array(z.record(z.string(), z.unknown())).nullable(),
  additional_data: z.object({ next_cursor: z.string().nullish() }).passthrough().nullish(),
});

/** §3.2: `additional_data.pagination`. */
export const PipedriveOffsetListSchema = z.object({
  success: z.literal(true),
  data: z.array(z.record(z.string(), z.unknown())).nullable(),
  additional_data: z
    .object({ pagination: z.object({ more_items_in_collection: z.boolean().optional(), next_start: z.number().nullish() }).passthrough().nullish() })
    .passthrough()
    .nullish(),
});

export const PipedriveItemSchema = z.object({ success: z.literal(true), data: z.record(z.string(), z.unknown()) });

export const PipedriveIdSchema = z.object({ id: z.coerce.number().int() }).passthrough();

const ContactSchema = z.object({ value: z.string().nullish(), primary: z.boolean().nullish(), label: z.string().nullish() }).passthrough();
export type PipedriveContact = z.infer<typeof ContactSchema>;

/** §5: what every v2 record has; §5.1: `emails`/`phones` or the older `email`/`phone`. */
export const PipedriveRecordSchema = z
  .object({
    id: z.number().int(),
    add_time: z.string().nullish(),
    update_time: z.string().nullish(),
    is_deleted: z.boolean().nullish(),
    custom_fields: z.record(z.string(), z.unknown()).nullish(),
    emails: z.array(ContactSchema).nullish(),
    email: z.array(ContactSchema).nullish(),
    phones: z.array(ContactSchema).nullish(),
    phone: z.array(ContactSchema).nullish(),
  })
  .passthrough();
export type PipedriveRecord = z.infer<typeof PipedriveRecordSchema>;

/** §5.6 */
export const PipedriveUserSchema = z
  .object({
    id: z.number().int(),
    name: z.string().nullish(),
    email: z.string().nullish(),
    active_flag: z.boolean().nullish(),
    is_admin: z.boolean().nullish(),
  })
  .passthrough();
export const PipedriveMeSchema = PipedriveUserSchema.extend({ company_name: z.string().nullish(), company_domain: z.string().nullish() });

/** §6.2 */
export const PipedriveFieldSchema = z
  .object({
    field_code: z.string(),
    field_name: z.string(),
    field_type: z.string(),
    is_custom_field: z.boolean().nullish(),
    options: z.array(z.object({ id: z.number(), label: z.string() }).passthrough()).nullish(),
  })
  .passthrough();
export type PipedriveField = z.infer<typeof PipedriveFieldSchema>;

export const PipedrivePipelineSchema = z.object({ id: z.number().int(), name: z.string() }).passthrough();
export const PipedriveStageSchema = z
  .object({ id: z.number().int(), name: z.string(), pipeline_id: z.number().int(), order_nr: z.number().nullish() })
  .passthrough();
export const PipedriveActivityTypeSchema = z
  .object({ id: z.number().int(), name: z.string(), key_string: z.string(), active_flag: z.boolean().nullish() })
  .passthrough();

/** §6.4: `data.items[].item.id`. */
export const PipedriveSearchSchema = z.object({
  success: z.literal(true),
  data: z.object({ items: z.array(z.object({ item: z.object({ id: z.number().int() }).passthrough() })) }).nullish(),
  additional_data: z.object({ next_cursor: z.string().nullish() }).passthrough().nullish(),
});
