// The Twenty connector's declaration: credentials, where to find an API key, what it reads and
// writes, and its published limits (reference §1, §6.1).
import { z } from "zod";
import type { ConnectorManifest } from "@/connectors/types";
import { FERRY_SOURCE_ID_FIELD, TWENTY_FIELD_ROLES, TWENTY_FIXES, TWENTY_OBJECT_ROLES, TWENTY_TICKETS_OBJECT } from "./capabilities";

export const TWENTY_CLOUD_URL = "https://api.twenty.com";
/** §6.1: 100 requests per minute per workspace for API keys (docs and self-hosted default). */
export const TWENTY_RATE_LIMIT = { requests: 100, perMs: 60_000 };
/** §2.3: current servers take 200 per batch call (older ones 60: the connector steps down when told, batch-limit.ts). */
export const TWENTY_MAX_BATCH_SIZE = 200;

export const twentyCredentialSchema = z.object({
  apiKey: z.string().trim().min(1, "Paste the API key from Twenty's Settings → APIs & Webhooks"),
  baseUrl: z
    .url({ protocol: /^https?$/, message: "Enter the address of your Twenty server, starting with https://" })
    .default(TWENTY_CLOUD_URL)
    .transform((url) => url.replace(/\/+$/, "")),
});
export type TwentyCredentials = z.output<typeof twentyCredentialSchema>;

export const twentyManifest: ConnectorManifest<TwentyCredentials> = {
  id: "twenty",
  name: "Twenty",
  kind: "crm",
  credentialSchema: twentyCredentialSchema,
  credentialFields: [
    { key: "apiKey", label: "API key", secret: true, help: "Created in Twenty under Settings → APIs & Webhooks." },
    {
      key: "baseUrl",
      label: "Server address",
      secret: false,
      placeholder: TWENTY_CLOUD_URL,
      help: "Leave as is for Twenty Cloud. For a self-hosted Twenty, enter its address (for example https://crm.example.com).",
    },
  ],
  apiKeyHowTo: {
    steps: [
      "Sign in to Twenty as a workspace administrator.",
      "Open Settings, then APIs & Webhooks (older versions call it Developers).",
      "Click “Create key”, give it a name such as “Ferry migration” and an expiry date that outlasts the migration.",
      "If your workspace uses roles, give the key a role that can read and edit every object you migrate and change the data model.",
      "Copy the key right away: Twenty shows it only once. Paste it here.",
      "Delete the key in the same place once the migration is finished.",
    ],
    link: "https://docs.twenty.com/developers/extend/api",
  },
  reads: ["companies", "people", "opportunities", "notes", "tasks", "workspaceMembers", "custom objects"],
  writes: ["companies", "people", "opportunities", "notes", "tasks", "custom objects"],
  rateLimit: TWENTY_RATE_LIMIT,
  maxBatchSize: TWENTY_MAX_BATCH_SIZE,
  notRead: [
    "Attachments (files) of Twenty records.",
    "Timeline activity, emails and calendar events synced into Twenty.",
    "Workflows, views, roles and permissions: rebuild them by hand.",
    "Deleted records (in Twenty's trash).",
  ],
  notWritten: [
    "Who created and last changed each record, and when it was last changed: Twenty sets createdBy, updatedBy and updatedAt itself.",
    "Users: workspace members are invited in Twenty, never created; users are matched by email.",
  ],
  readsAttachments: false,
  // File upload is outside docs/reference (connectors/twenty/README.md).
  writesAttachments: false,
  keepsCreationDate: [],
  objectRoles: TWENTY_OBJECT_ROLES,
  fieldRoles: TWENTY_FIELD_ROLES,
  sourceIdField: FERRY_SOURCE_ID_FIELD,
  // The metadata API creates custom fields (§3.1), through the create-missing-fields fix.
  createsFields: true,
  objectTemplates: [TWENTY_TICKETS_OBJECT],
  fixes: TWENTY_FIXES,
  // §2: every record carries updatedAt; DELETE with ?soft_delete=true moves it to "Deleted", restorable.
  sync: { reportsUpdatedAt: true, archive: "moved to Twenty's Deleted view, where it can be restored" },
};
