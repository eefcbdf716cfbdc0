// A connector's own strings in the reader's language (connectors/<id>/messages), with the
// manifest's English as the fallback for anything a connector has not worded yet.
import { useMessages } from "next-intl";
import type { ConnectorMessages } from "@/connectors/types";

export function useConnectorText(connectorId: string): ConnectorMessages {
  const messages = useMessages();
  return messages.connectors[connectorId] ?? {};
}
