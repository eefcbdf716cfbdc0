// The Pipedrive connector's declaration: credentials, where to find the API token, what it reads
// and writes, and its published limits (reference §1.2, §4.2).
import { z } from "zod";
import type { ConnectorManifest } from "@/connectors/types";
import { PIPEDRIVE_FIXES, PIPEDRIVE_OBJECT_ROLES, PIPEDRIVE_SOURCE_ID_FIELD } from "./capabilities";

export const PIPEDRIVE_API_URL = "https://api.pipedrive.com";
/** §4.2: the lowest plan's burst limit for an API token, 20 requests per 2-second window. */
export const PIPEDRIVE_RATE_LIMIT = { requests: 20, perMs: 2_000 };
/** §4.2: search calls have their own limit of 10 per 2 seconds on every plan. */
export const PIPEDRIVE_SEARCH_RATE_LIMIT = { requests: 10, perMs: 2_000 };
/** §3.1: the largest page of a list. */
export const PIPEDRIVE_PAGE_SIZE = 500;

export const pipedriveCredentialSchema = z.object({
  apiToken: z.string().trim().min(1, "Paste the personal API token from Pipedrive's Personal preferences → API"),
  baseUrl: z
    .url({ protocol: /^https?$/, message: "Enter the address of the Pipedrive API, starting with https://" })
    .default(PIPEDRIVE_API_URL)
    .transform((url) => url.replace(/\/+$/, "")),
});
export type PipedriveCredentials = z.output<typeof pipedriveCredentialSchema>;

export const PIPEDRIVE_OBJECT_TYPES = ["organizations", "persons", "deals", "activities", "notes"] as const;

export const pipedriveManifest: ConnectorManifest<PipedriveCredentials> = {
  id: "pipedrive",
  name: "Pipedrive",
  kind: "crm",
  credentialSchema: pipedriveCredentialSchema,
  credentialFields: [
    { key: "apiToken", label: "API token", secret: true, help: "Your personal API token, under Personal preferences → API in Pipedrive." },
    {
      key: "baseUrl",
      label: "API address",
      secret: false,
      placeholder: PIPEDRIVE_API_URL,
      help: "Leave as is. Your company address (https://yourcompany.pipedrive.com) works too.",
    },
  ],
  apiKeyHowTo: {
    steps: [
      "Sign in to Pipedrive as an administrator of the company (an admin's token sees every record).",
      "Click your profile picture at the top right, then Personal preferences.",
      "Open the API tab. Your personal API token is shown there; click Copy.",
      "Paste it here. The token works until you generate a new one on the same page: do that once the migration is finished.",
    ],
    link: "https://support.pipedrive.com/en/article/how-can-i-find-my-personal-api-key",
  },
  reads: [...PIPEDRIVE_OBJECT_TYPES, "users"],
  writes: [...PIPEDRIVE_OBJECT_TYPES],
  rateLimit: PIPEDRIVE_RATE_LIMIT,
  // §8: no batch create; every record is one request.
  maxBatchSize: 50,
  recordsPerWrite: { organizations: 1, persons: 1, deals: 1, activities: 1, notes: 1 },
  notRead: [
    "Leads, products, projects, files and emails synced into Pipedrive.",
    "Followers, participants other than the main person of an activity, and labels.",
    "Filters, automations, web forms and visibility groups: rebuild them by hand.",
    "Deleted records (kept by Pipedrive for 30 days).",
  ],
  notWritten: [
    "Users: Pipedrive users are invited in Pipedrive, never created; owners and assignees are matched by email.",
    "When each record was last changed: Pipedrive sets update_time itself.",
    "Pipelines and stages: deals go to a pipeline and stage of the same name, else to the first stage of the first pipeline.",
  ],
  readsAttachments: false,
  writesAttachments: false,
  // §5.1, §5.5: add_time is taken on create (mappers/record.ts).
  keepsCreationDate: ["persons", "notes"],
  objectRoles: PIPEDRIVE_OBJECT_ROLES,
  sourceIdField: PIPEDRIVE_SOURCE_ID_FIELD,
  // §6.2: custom fields are created through POST /api/v2/{entity}Fields (the create-missing-fields fix).
  createsFields: true,
  objectTemplates: [],
  fixes: PIPEDRIVE_FIXES,
};
