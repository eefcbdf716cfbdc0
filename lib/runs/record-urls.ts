// Where a user can open a migrated record in the target system's own web app, when Ferry knows it.
// The connector contract has no record URL, so this knows the two launch systems' URL shapes;
// anything else (or an unknown host) gives null and the page shows the ids instead.

/** people → person, companies → company, opportunities → opportunity; Twenty's singular object names. */
export function singular(objectType: string): string {
  if (objectType === "people") return "person";
  if (objectType.endsWith("ies")) return `${objectType.slice(0, -3)}y`;
  if (objectType.endsWith("s")) return objectType.slice(0, -1);
  return objectType;
}

const TEAMWORK_DESK_PATHS: Record<string, string> = { tickets: "tickets", customers: "customers", companies: "companies" };

export function targetRecordUrl(target: { systemId: string; baseUrl: string | null } | null, objectType: string, targetId: string | null): string | null {
  if (!target || !targetId || !target.baseUrl) return null;
  let base: URL;
  try {
    base = new URL(target.baseUrl);
  } catch {
    return null;
  }
  if (target.systemId === "twenty") {
    // Twenty Cloud's API host is not where the workspace's app lives (a per-workspace subdomain Ferry does not know).
    if (base.hostname === "api.twenty.com") return null;
    return new URL(`/object/${encodeURIComponent(singular(objectType))}/${encodeURIComponent(targetId)}`, base.origin).toString();
  }
  if (target.systemId === "teamwork-desk") {
    const path = TEAMWORK_DESK_PATHS[objectType];
    return path ? new URL(`/desk/${path}/${encodeURIComponent(targetId)}`, base.origin).toString() : null;
  }
  return null;
}
