import { getTranslations } from "next-intl/server";
import { db } from "@/lib/db";
import { can } from "@/lib/auth/roles";
import { listConnections } from "@/lib/connections";
import type { OrgContext } from "@/lib/team";
import type { WizardView } from "@/lib/wizard";
import { connectorCatalog } from "@/connectors/registry";
import { StepHeading } from "./step-guard";
import { ConnectionStep } from "./connection-step";

export async function SideStep({ side, context, view }: { side: "source" | "target"; context: OrgContext; view: WizardView }) {
  const [connections, t] = await Promise.all([listConnections(db(), context), getTranslations("connectionStep")]);
  const catalog = connectorCatalog().filter((entry) => side === "source" || entry.writes.length > 0);
  const current = side === "source" ? view.source : view.target;
  const other = side === "source" ? view.target : view.source;
  const test = side === "source" ? view.state.sourceTest : view.state.targetTest;
  const chosenSystem = current?.systemId ?? (side === "source" ? view.state.sourceSystemId : view.state.targetSystemId);
  return (
    <>
      <StepHeading
        title={side === "source" ? t("sourceTitle") : t("targetTitle")}
        description={side === "source" ? t("sourceDescription") : t("targetDescription")}
      />
      <ConnectionStep
        migrationId={view.migration.id}
        side={side}
        catalog={catalog}
        canManage={can(context, "connections")}
        chosenSystem={chosenSystem ?? null}
        currentConnectionId={current?.id ?? null}
        otherConnectionId={other?.id ?? null}
        connections={connections.map((connection) => ({
          id: connection.id,
          label: connection.label,
          systemId: connection.systemId,
          lastVerifiedAt: connection.lastVerifiedAt?.toISOString() ?? null,
        }))}
        test={test && test.connectionId === current?.id ? test : null}
      />
    </>
  );
}
