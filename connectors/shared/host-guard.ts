// SSRF guard for the base URLs users type (ARCHITECTURE.md, Security): a connection must point at
// a public host unless the deployment explicitly allows private ones (sandboxes, tests). Every
// connector checks its base URL here in connect(); lib/connections.ts relies on that.
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { ConnectorError } from "@/connectors/types";

export type HostGuardOptions = {
  /** Lets the URL be a loopback or private address (ALLOW_PRIVATE_CONNECTION_URLS). */
  allowPrivateHosts?: boolean;
  /** What Ferry does connect to, for the refusal: "publicly reachable Twenty servers". */
  publicTargets?: string;
  /** The credential field holding the URL, so the form can show the refusal next to it. */
  field?: string;
};

export type ResolveHost = (host: string) => Promise<string[]>;

function isPrivateIpv4(address: string): boolean {
  const [a, b] = address.split(".").map(Number);
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}

/** Loopback, private, link-local, CGNAT, multicast and reserved addresses (IPv4 and IPv6). */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "").toLowerCase();
  if (isIP(bare) === 4) return isPrivateIpv4(bare);
  if (isIP(bare) === 6) {
    if (bare === "::" || bare === "::1") return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
    if (mapped) return isPrivateIpv4(mapped[1]);
    // URL hostnames write IPv4-mapped addresses in hex: [::ffff:127.0.0.1] becomes [::ffff:7f00:1].
    const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(bare);
    if (mappedHex) {
      const [high, low] = [parseInt(mappedHex[1], 16), parseInt(mappedHex[2], 16)];
      return isPrivateIpv4(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
    }
    return /^f[cd]/.test(bare) || /^fe[89ab]/.test(bare) || bare.startsWith("ff");
  }
  return false;
}

/** Host names that never leave the machine or the local network, without a DNS lookup. */
export function isPrivateHostName(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local") || host.endsWith(".internal")) return true;
  return isPrivateAddress(host);
}

function refused(baseUrl: string, { publicTargets = "publicly reachable servers", field }: HostGuardOptions): ConnectorError {
  return new ConnectorError("VALIDATION", `${baseUrl} points to a private or local network address; Ferry only connects to ${publicTargets}.`, { field });
}

function parseBaseUrl(baseUrl: string, field: string | undefined): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConnectorError("VALIDATION", "Enter a full URL, starting with https://", { field });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new ConnectorError("VALIDATION", "The URL must start with https:// or http://", { field });
  return url;
}

/** Synchronous check of the URL itself: an http(s) URL, and no literal private IP nor local name. */
export function assertPublicBaseUrl(baseUrl: string, options: HostGuardOptions = {}): void {
  const url = parseBaseUrl(baseUrl, options.field);
  if (!options.allowPrivateHosts && isPrivateHostName(url.hostname)) throw refused(baseUrl, options);
}

/**
 * assertPublicBaseUrl, then resolves the host and refuses private addresses. A failed lookup is
 * let through: the request that follows fails with a clear "not found" naming the URL.
 */
export async function assertPublicBaseUrlResolved(baseUrl: string, options: HostGuardOptions & { resolve?: ResolveHost } = {}): Promise<void> {
  assertPublicBaseUrl(baseUrl, options);
  if (options.allowPrivateHosts) return;
  const hostname = new URL(baseUrl).hostname;
  if (isIP(hostname.replace(/^\[|\]$/g, "")) !== 0) return;
  let addresses: string[];
  try {
    addresses = await (options.resolve ?? resolveHost)(hostname);
  } catch {
    return;
  }
  if (addresses.some(isPrivateAddress)) throw refused(baseUrl, options);
}

async function resolveHost(host: string): Promise<string[]> {
  const results = await lookup(host, { all: true });
  return results.map((result) => result.address);
}
