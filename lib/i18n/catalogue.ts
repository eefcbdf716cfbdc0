// Ferry's messages for one locale: the app's catalogue (messages/<locale>.json) with each
// connector's own strings under connectors.<id> (connectors/<id>/messages/<locale>.json), so a
// connector ships its wording next to its manifest and app/ never names a connector.
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { connectors } from "@/connectors/registry";
import type { ConnectorMessages } from "@/connectors/types";
import type { Locale } from "./locale";

const APP_CATALOGUES = { en, fr } satisfies Record<Locale, unknown>;

export type AppMessages = typeof en;

export function messagesFor(locale: Locale) {
  const connectorMessages: Record<string, ConnectorMessages> = Object.fromEntries(
    Object.entries(connectors).map(([id, connector]) => [id, "messages" in connector && connector.messages ? connector.messages[locale] : {}]),
  );
  return { ...APP_CATALOGUES[locale], connectors: connectorMessages };
}
