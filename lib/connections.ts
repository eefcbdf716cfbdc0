// Connections to external systems. Credentials are sealed at rest (lib/crypto.ts) and only ever
// opened on the server, to build a connector session; no function here returns them.
import crypto from "node:crypto";
import { z } from "zod";
import type { Database } from "./db";
import { env } from "./env";
import { NotFoundError, UserFacingError } from "./errors";
import { open, seal } from "./crypto";
import { requirePermission } from "./auth/roles";
import { idSchema } from "./action-input";
import { auditActor, recordAudit } from "./audit-log";
import { scopedDb } from "./org-scope";
import type { OrgContext } from "./team";
import { getConnector, isConnectorId } from "@/connectors/registry";
import { ConnectorError, type ConnectOptions, type ConnectorSession } from "@/connectors/types";

export const connectionInputSchema = z.object({
  systemId: z.string().refine(isConnectorId, "Choose a system Ferry supports."),
  label: z.string().trim().min(1, "Give the connection a name.").max(80, "Name must be at most 80 characters."),
  credentials: z.record(z.string(), z.unknown()),
});

/** What pages may show about a connection: never the credentials. */
export const CONNECTION_PUBLIC_FIELDS = {
  id: true,
  systemId: true,
  label: true,
  baseUrl: true,
  lastVerifiedAt: true,
  accountInfo: true,
  createdAt: true,
} as const;

function associatedData(connectionId: string, organizationId: string) {
  return `connection:${connectionId}:organization:${organizationId}`;
}

export async function listConnections(database: Database, context: OrgContext) {
  return scopedDb(database, context.organization.id).connection.findMany({ select: CONNECTION_PUBLIC_FIELDS, orderBy: { createdAt: "asc" } });
}

function credentialBaseUrl(credentials: unknown): string | null {
  const value = (credentials as { baseUrl?: unknown } | null)?.baseUrl;
  return typeof value === "string" && value ? value : null;
}

/** Validates the credentials, checks them against the system, then stores them sealed. */
export async function createConnection(database: Database, context: OrgContext, input: unknown): Promise<{ id: string }> {
  requirePermission(context, "connections");
  const data = connectionInputSchema.parse(input);
  const connector = getConnector(data.systemId);
  const parsedCredentials = connector.manifest.credentialSchema.safeParse(data.credentials);
  if (!parsedCredentials.success) {
    const issue = parsedCredentials.error.issues[0];
    throw new UserFacingError(issue.message, issue.path.join(".") || undefined);
  }
  const credentials = parsedCredentials.data;
  const baseUrl = credentialBaseUrl(credentials);

  let accountInfo;
  try {
    // The connector refuses private and local addresses (SSRF, connectors/shared/host-guard.ts) unless allowed.
    accountInfo = await connector.connect(credentials, sessionOptions(connector)).verify();
  } catch (error) {
    // The connector's error stays the cause (its code tells a caller whether trying again can help).
    if (error instanceof ConnectorError) throw Object.assign(new UserFacingError(error.message, error.field), { cause: error });
    throw error;
  }
  const id = crypto.randomUUID();
  const sealed = seal(JSON.stringify(credentials), env().ENCRYPTION_KEYS, associatedData(id, context.organization.id));
  await scopedDb(database, context.organization.id).connection.create({
    data: {
      id,
      organizationId: context.organization.id,
      systemId: data.systemId,
      label: data.label,
      baseUrl,
      credentialsCiphertext: sealed.ciphertext,
      keyVersion: sealed.keyVersion,
      lastVerifiedAt: new Date(),
      accountInfo: JSON.stringify(accountInfo),
    },
  });
  await recordAudit(database, auditActor(context), { kind: "connection.added", summary: `Added the ${connector.manifest.name} connection "${data.label}".` });
  return { id };
}

export async function removeConnection(database: Database, context: OrgContext, id: unknown): Promise<void> {
  requirePermission(context, "connections");
  const connectionId = idSchema.parse(id);
  const scoped = scopedDb(database, context.organization.id);
  const connection = await scoped.connection.findFirst({ where: { id: connectionId }, select: { id: true, label: true } });
  if (!connection) throw new NotFoundError("That connection");
  const inUse = await scoped.migration.count({ where: { OR: [{ sourceConnectionId: connectionId }, { targetConnectionId: connectionId }] } });
  if (inUse > 0) throw new UserFacingError(`This connection is used by ${inUse} migration(s). Delete those migrations first.`);
  await scoped.connection.deleteMany({ where: { id: connectionId } });
  await recordAudit(database, auditActor(context), { kind: "connection.removed", summary: `Removed the connection "${connection.label}" and its API key.` });
}

/** How the app's sessions reach a system: private addresses only when allowed; a sandbox's shrunken rate window when configured. */
function sessionOptions(connector: ReturnType<typeof getConnector>): ConnectOptions {
  const { ALLOW_PRIVATE_CONNECTION_URLS, CLIENT_RATE_WINDOW_MS } = env();
  const published = connector.manifest.rateLimit;
  return {
    allowPrivateHosts: ALLOW_PRIVATE_CONNECTION_URLS,
    ...(CLIENT_RATE_WINDOW_MS ? { rateLimit: { requests: published.requests, perMs: CLIENT_RATE_WINDOW_MS } } : {}),
  };
}

/** Opens a connector session for a stored connection; server-side only (the engine, prerequisites). */
export async function openConnection(
  database: Database,
  organizationId: string,
  connectionId: string,
  options: Pick<ConnectOptions, "rateLimit"> = {},
): Promise<ConnectorSession> {
  const connection = await scopedDb(database, organizationId).connection.findFirst({
    where: { id: connectionId },
    select: { id: true, systemId: true, credentialsCiphertext: true, keyVersion: true },
  });
  if (!connection) throw new NotFoundError("That connection");
  const connector = getConnector(connection.systemId);
  const plaintext = open(
    { ciphertext: connection.credentialsCiphertext, keyVersion: connection.keyVersion },
    env().ENCRYPTION_KEYS,
    associatedData(connection.id, organizationId),
  );
  const credentials = connector.manifest.credentialSchema.parse(JSON.parse(plaintext));
  return connector.connect(credentials, { ...sessionOptions(connector), ...options });
}
