// The Teamwork Desk connector (help desk; source and target). See README.md for what migrates,
// what does not and why, and docs/reference/teamwork-desk-api.md for the API it follows.
import type { Connector } from "@/connectors/types";
import { teamworkDeskManifest } from "./manifest";
import type { TeamworkDeskCredentials } from "./manifest";
import { createTeamworkDeskSession } from "./session";
import messagesEn from "./messages/en.json" with { type: "json" };
import messagesFr from "./messages/fr.json" with { type: "json" };

export { teamworkDeskCredentialSchema, teamworkDeskManifest, type TeamworkDeskCredentials } from "./manifest";
export {
  createTeamworkDeskSession,
  DEFAULT_IMPORT_SOURCE,
  type TeamworkDeskSession,
  type TeamworkDeskSessionOptions,
  type TeamworkDeskUserRef,
} from "./session";
export { DEACTIVATE_TRIGGERS_FIX, RESTORE_TRIGGERS_FIX_PREFIX } from "./prerequisites";
export { importIdFor } from "./ticket-writer";

export const teamworkDeskConnector: Connector<TeamworkDeskCredentials> = {
  manifest: teamworkDeskManifest,
  messages: { en: messagesEn, fr: messagesFr },
  connect: (credentials, options) => createTeamworkDeskSession(credentials, { allowPrivateHosts: options?.allowPrivateHosts, rateLimit: options?.rateLimit }),
  recordUrl: teamworkDeskRecordUrl,
};

/** Objects with a page of their own in Desk's app, and its path segment. */
const RECORD_PATHS: Record<string, string> = { tickets: "tickets", customers: "customers", companies: "companies" };

function teamworkDeskRecordUrl(baseUrl: URL, objectType: string, id: string): string | null {
  const path = RECORD_PATHS[objectType];
  return path ? new URL(`/desk/${path}/${encodeURIComponent(id)}`, baseUrl.origin).toString() : null;
}
