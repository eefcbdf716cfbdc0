"use client";

import { useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
import { PlugZap, Plus } from "lucide-react";
import { removeConnectionAction } from "@/app/actions/connection-actions";
import { AddConnection } from "@/app/_components/add-connection-form";
import { DataTable } from "@/app/_components/data-table";
import { useActionNotice } from "@/app/_components/use-action-notice";
import { Alert, Badge, Button, Card, EmptyState } from "@/app/_components/ui";
import type { ConnectorCatalogEntry } from "@/connectors/registry";
import { needsNoAccount } from "@/connectors/types";
import { formatDateTime } from "@/lib/format-date";

type ConnectionRow = { id: string; label: string; system: string; account: string; lastVerifiedAt: string | null };

export function ConnectionsView({ canManage, catalog, connections }: { canManage: boolean; catalog: ConnectorCatalogEntry[]; connections: ConnectionRow[] }) {
  const router = useRouter();
  const [adding, setAdding] = useState(false);
  const tryout = catalog.find(needsNoAccount);
  const { pending, notice, setNotice, perform } = useActionNotice();

  const columns = useMemo<ColumnDef<ConnectionRow, unknown>[]>(
    () => [
      { accessorKey: "label", header: "Name", cell: ({ row }) => <span className="font-medium">{row.original.label}</span> },
      { accessorKey: "system", header: "System", cell: ({ row }) => <Badge tone="indigo">{row.original.system}</Badge> },
      { accessorKey: "account", header: "Account" },
      {
        accessorKey: "lastVerifiedAt",
        header: "Last verified",
        cell: ({ row }) => (row.original.lastVerifiedAt ? formatDateTime(row.original.lastVerifiedAt) : "never"),
      },
      ...(canManage
        ? [
            {
              id: "actions",
              header: "",
              enableSorting: false,
              cell: ({ row }) => (
                <Button
                  variant="danger"
                  disabled={pending}
                  onClick={() => {
                    if (!confirm(`Remove the connection "${row.original.label}"? Its API key is deleted from Ferry.`)) return;
                    perform(() => removeConnectionAction(row.original.id));
                  }}
                >
                  Remove
                </Button>
              ),
            } satisfies ColumnDef<ConnectionRow, unknown>,
          ]
        : []),
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps -- perform only closes over stable setters
    [canManage, pending],
  );

  return (
    <div className="space-y-5">
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {canManage && !adding ? (
        <Button onClick={() => setAdding(true)}>
          <Plus aria-hidden className="h-4 w-4" />
          Add a connection
        </Button>
      ) : null}
      {!canManage ? (
        <Alert tone="info">
          Your role can see the connections but not add or remove them (that needs the Connections permission). Ask someone who manages members if one is
          missing.
        </Alert>
      ) : null}
      {adding ? (
        <AddConnection
          catalog={catalog}
          onCancel={() => setAdding(false)}
          onAdded={(message) => {
            setAdding(false);
            setNotice({ tone: "success", text: message });
            router.refresh();
          }}
        />
      ) : null}
      {connections.length === 0 && !adding ? (
        <EmptyState icon={<PlugZap className="h-8 w-8" aria-hidden />} title="No connections yet">
          {canManage
            ? `Add the system you are migrating from and the one you are migrating to.${tryout ? ` Not ready to use a real account? Add the ${tryout.name} source to try Ferry.` : ""}`
            : "An admin of this organization adds connections."}
        </EmptyState>
      ) : connections.length > 0 ? (
        <Card title={`Connections (${connections.length})`}>
          <DataTable label="Connections" columns={columns} data={connections} filterPlaceholder="Filter connections" emptyMessage="No connections match." />
        </Card>
      ) : null}
    </div>
  );
}
