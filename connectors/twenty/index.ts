// The Twenty CRM connector (source and target). See README.md for what migrates and the limits.
import type { Connector } from "@/connectors/types";
import { twentyRecordUrl } from "./capabilities";
import { twentyManifest } from "./manifest";
import type { TwentyCredentials } from "./manifest";
import { createTwentySession } from "./session";
import messagesEn from "./messages/en.json" with { type: "json" };
import messagesFr from "./messages/fr.json" with { type: "json" };

export const twentyConnector: Connector<TwentyCredentials> = {
  manifest: twentyManifest,
  messages: { en: messagesEn, fr: messagesFr },
  connect: (credentials, options) => createTwentySession(credentials, { allowPrivateHosts: options?.allowPrivateHosts, rateLimit: options?.rateLimit }),
  recordUrl: twentyRecordUrl,
};

export { createTwentySession } from "./session";
export type { TwentySession, TwentySessionOptions } from "./session";
export { twentyCredentialSchema, twentyManifest } from "./manifest";
export { TWENTY_TICKETS_OBJECT } from "./capabilities";
export type { TwentyCredentials } from "./manifest";
