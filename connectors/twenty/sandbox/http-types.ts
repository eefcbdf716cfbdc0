import type { SandboxRequest, SandboxResponse } from "@/connectors/shared/sandbox-kit";

export { ok } from "@/connectors/shared/sandbox-kit";

/** A parsed, authenticated request; its segments are those after `/rest` (or after `/` for non-REST routes). */
export type ApiRequest = SandboxRequest;

export type ApiResponse = SandboxResponse;

export function capitalize(name: string): string {
  return name.length === 0 ? name : name[0].toUpperCase() + name.slice(1);
}
