// Ferry's messages for one locale: the app's catalogue (messages/<locale>.json) with each
// connector's own strings under connectors.<id> (connectors/<id>/messages/<locale>.json), so a
// connector ships its wording next to its manifest and app/ never names a connector.
import en from "@/messages/en.json" with { type: "json" };
import fr from "@/messages/fr.json" with { type: "json" };
import { connectors } from "@/connectors/registry";
import type { ConnectorMessages } from "@/connectors/types";
import type { Locale } from "./locale";

export type AppMessages = typeof en;

/** Typed as the English shape: a key French lacks fails `npm run typecheck` (the unit test lists them too). */
const APP_CATALOGUES: Record<Locale, AppMessages> = { en, fr };

/** The app catalogue alone, for lib/ code that writes to a user outside a request (mails, notifications). */
export function appMessages(locale: Locale): AppMessages {
  return APP_CATALOGUES[locale] ?? APP_CATALOGUES.en;
}

export function messagesFor(locale: Locale) {
  const connectorMessages: Record<string, ConnectorMessages> = Object.fromEntries(
    Object.entries(connectors).map(([id, connector]) => [id, "messages" in connector && connector.messages ? connector.messages[locale] : {}]),
  );
  return { ...APP_CATALOGUES[locale], connectors: connectorMessages };
}
