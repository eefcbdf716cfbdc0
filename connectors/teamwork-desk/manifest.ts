// The Teamwork Desk connector's declaration: credentials, where to find an API key, what it reads
// and writes, and its published limits (docs/reference/teamwork-desk-api.md §1, §3, §6).
import { z } from "zod";
import type { ConnectorManifest, ObjectRole } from "@/connectors/types";
import { normalizeSiteUrl } from "./site-url";

/** §3: 120 requests per minute (per user/key [U]); v1 and v2 calls spend the same budget. */
export const TEAMWORK_DESK_RATE_LIMIT = { requests: 120, perMs: 60_000 };
/**
 * §6: the v1 import takes a list of tickets per call; its batch limit is [U]. Ten tickets with
 * their threads keeps a request body small; v2 creates (companies, customers) carry one record.
 */
export const IMPORT_TICKETS_PER_REQUEST = 10;
/** §1: the deep link to the API keys page of a user's profile. */
export const API_KEYS_PATH = "/desk/myprofile/apikeys";

export const OBJECT_TYPES = [
  "tickets",
  "customers",
  "companies",
  "agents",
  "inboxes",
  "tags",
  "statuses",
  "priorities",
  "ticketTypes",
  "customFields",
] as const;
export type TeamworkDeskObjectType = (typeof OBJECT_TYPES)[number];
/** Ticket threads travel inside their ticket, in children.messages. */
export const MESSAGES_OBJECT_TYPE = "messages";
/** §5: what each object is in any system; inboxes, tags, statuses and the like have no counterpart. */
const OBJECT_ROLES: Record<string, ObjectRole> = {
  companies: "company",
  customers: "person",
  tickets: "ticket",
  [MESSAGES_OBJECT_TYPE]: "message",
  agents: "user",
};
/** Fix id of the check that finds active triggers (prerequisites.ts). */
export const DEACTIVATE_TRIGGERS_FIX = "deactivate-triggers";
export const WRITABLE_OBJECT_TYPES = ["companies", "customers", "tickets"] as const;

export function isTeamworkDeskObjectType(value: string): value is TeamworkDeskObjectType {
  return (OBJECT_TYPES as readonly string[]).includes(value);
}

export const teamworkDeskCredentialSchema = z.object({
  site: z.string({ error: "Enter your Teamwork site name (acme) or its address (https://acme.teamwork.com)." }).transform((value, context) => {
    const result = normalizeSiteUrl(value);
    if (result.ok) return result.baseUrl;
    context.addIssue({ code: "custom", message: result.message });
    return z.NEVER;
  }),
  apiKey: z
    .string({ error: "Paste the API key from your Teamwork Desk profile (API keys)." })
    .trim()
    .min(1, "Paste the API key from your Teamwork Desk profile (API keys).")
    .refine((key) => !/\s/.test(key), "The API key has no spaces; copy it again from your profile."),
});
export type TeamworkDeskCredentials = z.output<typeof teamworkDeskCredentialSchema>;

export const teamworkDeskManifest: ConnectorManifest<TeamworkDeskCredentials> = {
  id: "teamwork-desk",
  name: "Teamwork Desk",
  kind: "helpdesk",
  credentialSchema: teamworkDeskCredentialSchema,
  credentialFields: [
    {
      key: "site",
      label: "Site",
      secret: false,
      placeholder: "acme or https://acme.teamwork.com",
      help: "The part before .teamwork.com in the address you sign in to (EU sites end in .eu.teamwork.com).",
    },
    { key: "apiKey", label: "API key", secret: true, help: "Generated in Teamwork Desk under your profile → API keys. Use an administrator's key." },
  ],
  apiKeyHowTo: {
    steps: [
      "Sign in to Teamwork with an administrator account and switch to Desk (Teamwork opens on its dashboard; pick Desk from the app switcher).",
      "Click your avatar in the top-right corner and choose “View profile” (some sites call it “Edit profile”).",
      "Open the “API keys” section of your profile.",
      "Click “Generate key”, name it “Ferry migration”, and copy it. You can also reuse an existing key.",
      "Paste the key here together with your site name. The key acts with your permissions, so it must belong to an administrator.",
      "Delete the key on the same page once the migration is finished.",
    ],
    link: "https://support.teamwork.com/desk/getting-started/getting-started-my-profile",
  },
  reads: [...OBJECT_TYPES],
  writes: [...WRITABLE_OBJECT_TYPES],
  rateLimit: TEAMWORK_DESK_RATE_LIMIT,
  maxBatchSize: IMPORT_TICKETS_PER_REQUEST,
  // §6: companies and customers are created one per v2 request; tickets go ten per v1 import call.
  recordsPerWrite: { companies: 1, customers: 1, tickets: IMPORT_TICKETS_PER_REQUEST },
  // README "What is lost, and why".
  notRead: ["Status history, activity logs, trigger runs, time logs, happiness ratings, followers, drafts and merged or scheduled tickets."],
  notWritten: [
    "The ticket's original channel (email, web, chat): the import names Ferry as its source.",
    "Sub-second precision of dates, and ticket-level cc/bcc (kept per message).",
    "Agents, inboxes, statuses, priorities, types and custom field definitions: they must exist in Teamwork Desk; users are matched by email.",
    "Custom fields on customers and companies: Teamwork Desk has ticket custom fields only.",
  ],
  readsAttachments: true,
  writesAttachments: true,
  // The v1 import keeps the original createdAt of tickets and their threads (§6).
  keepsCreationDate: ["tickets", "messages"],
  objectRoles: OBJECT_ROLES,
  // Tickets carry Ferry's import id in their source (ticket-writer.ts), not in a field of their own.
  // Custom field creation is unconfirmed in docs/reference: plans map only onto fields that exist.
  createsFields: false,
  objectTemplates: [],
  fixes: [
    {
      id: DEACTIVATE_TRIGGERS_FIX,
      label: "Deactivate the active triggers during the migration",
      effect:
        "Ferry deactivates every active trigger so none fires on migrated tickets, and records exactly which ones: they are switched back on when the full run completes or the migration is deleted, or at once with Restore now.",
      changesSchema: false,
      order: 1,
    },
  ],
};
