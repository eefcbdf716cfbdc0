// The Pipedrive connector (source and target). See README.md for what migrates and the limits.
import type { Connector } from "@/connectors/types";
import { pipedriveRecordUrl } from "./capabilities";
import { pipedriveManifest } from "./manifest";
import type { PipedriveCredentials } from "./manifest";
import { createPipedriveSession } from "./session";
import messagesEn from "./messages/en.json" with { type: "json" };
import messagesFr from "./messages/fr.json" with { type: "json" };

export const pipedriveConnector: Connector<PipedriveCredentials> = {
  manifest: pipedriveManifest,
  messages: { en: messagesEn, fr: messagesFr },
  connect: (credentials, options) => createPipedriveSession(credentials, { allowPrivateHosts: options?.allowPrivateHosts, rateLimit: options?.rateLimit }),
  recordUrl: pipedriveRecordUrl,
};

export { createPipedriveSession } from "./session";
export type { PipedriveSession, PipedriveSessionOptions } from "./session";
export { pipedriveCredentialSchema, pipedriveManifest } from "./manifest";
export type { PipedriveCredentials } from "./manifest";
