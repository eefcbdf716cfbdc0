// Which objects go where by default, per shape of system (help desk, CRM). Objects are paired by
// the role each connector declares for them (connectors/types.ts ObjectRole), so a system's own
// object names never appear here.
import { getConnector } from "@/connectors/registry";
import type { ConnectorManifest, ObjectRole } from "@/connectors/types";
import { type PlanOptions } from "./schema";

/** What default plans need to know about a system, from its manifest. */
export type PlanSystem = Pick<
  ConnectorManifest<unknown>,
  "id" | "name" | "kind" | "writes" | "objectRoles" | "fieldRoles" | "createsFields" | "objectTemplates"
>;

/** The manifest of `systemId`; throws for an id Ferry does not know. */
export function planSystem(systemId: string): PlanSystem {
  return getConnector(systemId).manifest;
}

export function roleOf(system: PlanSystem, objectKey: string): ObjectRole | undefined {
  return Object.hasOwn(system.objectRoles, objectKey) ? system.objectRoles[objectKey] : undefined;
}

/** The system's object of that role (the first it declares), if any. */
export function objectOfRole(system: PlanSystem, role: ObjectRole): string | undefined {
  return Object.entries(system.objectRoles).find(([, declared]) => declared === role)?.[0];
}

/** Whether the object holds the system's users: matched through userMappings by email, never created. */
export function isUserObject(system: PlanSystem, objectKey: string): boolean {
  return roleOf(system, objectKey) === "user";
}

export type PairSpec = { source: string; target: string; enabled?: boolean };
export type RolePairSpec = { source: ObjectRole; target: ObjectRole; enabled?: boolean };

/** Help desk → CRM. Users become the CRM's users through userMappings; objects with no role (inboxes) have no CRM equivalent. */
export function helpdeskToCrmRoles(ticketsAs: PlanOptions["ticketsAs"]): RolePairSpec[] {
  return [
    { source: "company", target: "company" },
    { source: "person", target: "person" },
    { source: "ticket", target: ticketsAs === "tasks" ? "task" : "ticket" },
    { source: "deal", target: "deal" },
    { source: "task", target: "task" },
    { source: "note", target: "note" },
  ];
}

/**
 * CRM → help desk. A CRM's own tickets object (the one a help desk → CRM migration creates) goes
 * back to tickets, with the notes linked to each ticket as its thread; deals have no help desk
 * equivalent; notes as tickets of their own is offered but off.
 */
export const CRM_TO_HELPDESK_ROLES: readonly RolePairSpec[] = [
  { source: "company", target: "company" },
  { source: "person", target: "person" },
  { source: "ticket", target: "ticket" },
  { source: "task", target: "ticket" },
  { source: "note", target: "ticket", enabled: false },
];

/** Role pairs as object pairs of two systems; a role either system has no object for is left out. */
export function pairsByRole(roles: readonly RolePairSpec[], source: PlanSystem, target: PlanSystem): PairSpec[] {
  return roles.flatMap((spec) => {
    const sourceKey = objectOfRole(source, spec.source);
    const targetKey = objectOfRole(target, spec.target);
    if (sourceKey === undefined || targetKey === undefined) return [];
    return [{ source: sourceKey, target: targetKey, ...(spec.enabled === undefined ? {} : { enabled: spec.enabled }) }];
  });
}
