// The Teamwork Desk site a connection talks to (reference §1): a site name ("acme") or an
// address (https://acme.teamwork.com, https://acme.eu.teamwork.com, a pasted page URL) becomes
// one base URL, https://{site}.teamwork.com, without path. Only teamwork.com hosts are public
// targets, so the base URL is an allowlist rather than a DNS check (SSRF, ARCHITECTURE.md);
// loopback and private addresses (the local sandbox) are accepted here and refused at connect
// time unless private hosts are explicitly allowed.
import { isPrivateHostName } from "@/connectors/shared/host-guard";

export const TEAMWORK_DOMAIN = "teamwork.com";
/** A site label as Teamwork issues them: letters, digits and inner hyphens. */
const SITE_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Regions seen in site addresses (§1: eu is [S]); the label sits between the site and teamwork.com. */
const REGION_LABEL = /^[a-z]{2}$/;
const RESERVED_SITES = new Set(["www", "api"]);

export type SiteUrlResult = { ok: true; baseUrl: string } | { ok: false; message: string };

const HOW = "Enter your Teamwork site name (acme) or its address (https://acme.teamwork.com).";

/** A teamwork.com host naming a site: {site}.teamwork.com or {site}.{region}.teamwork.com. */
function isTeamworkSiteHost(host: string): boolean {
  if (!host.endsWith(`.${TEAMWORK_DOMAIN}`)) return false;
  const labels = host.slice(0, -TEAMWORK_DOMAIN.length - 1).split(".");
  if (labels.length === 1) return SITE_LABEL.test(labels[0]) && !RESERVED_SITES.has(labels[0]);
  if (labels.length === 2) return SITE_LABEL.test(labels[0]) && !RESERVED_SITES.has(labels[0]) && REGION_LABEL.test(labels[1]);
  return false;
}

/** Site name or address → `https://{site}.teamwork.com` (or the sandbox origin); a readable message for anything else. */
export function normalizeSiteUrl(input: string): SiteUrlResult {
  const value = input.trim().replace(/\/+$/, "");
  if (value === "") return { ok: false, message: HOW };
  const lower = value.toLowerCase();
  if (SITE_LABEL.test(lower)) {
    if (RESERVED_SITES.has(lower)) return { ok: false, message: `"${value}" is not a site name. ${HOW}` };
    return { ok: true, baseUrl: `https://${lower}.${TEAMWORK_DOMAIN}` };
  }
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
  let url: URL;
  try {
    url = new URL(hasScheme ? value : `https://${value}`);
  } catch {
    return { ok: false, message: `"${value}" is neither a site name nor an address. ${HOW}` };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, message: `Addresses start with https://, not ${url.protocol}//. ${HOW}` };
  if (url.username || url.password) return { ok: false, message: `The address must not contain a user name or password. ${HOW}` };
  const host = url.hostname.toLowerCase();
  if (isTeamworkSiteHost(host)) {
    // Teamwork serves sites over HTTPS only; a pasted http:// address is upgraded, a port dropped.
    return { ok: true, baseUrl: `https://${host}` };
  }
  if (isPrivateHostName(host)) return { ok: true, baseUrl: url.origin };
  if (host === TEAMWORK_DOMAIN || host === `www.${TEAMWORK_DOMAIN}`)
    return { ok: false, message: `That is Teamwork's own website; use your site's address instead. ${HOW}` };
  return { ok: false, message: `${host} is not a Teamwork address (sites end in .${TEAMWORK_DOMAIN}). ${HOW}` };
}

/** The site's short name for messages ("acme"), or the host for a sandbox. */
export function siteNameOf(baseUrl: string): string {
  const host = new URL(baseUrl).hostname;
  return host.endsWith(`.${TEAMWORK_DOMAIN}`) ? host.split(".")[0] : new URL(baseUrl).host;
}
