// SSRF guard for the base URLs users type (ARCHITECTURE.md, Security): a connection must point at
// a public host unless the deployment explicitly allows private ones (sandboxes, tests). Every
// connector checks its base URL here in connect(); lib/connections.ts relies on that.
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
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

// IANA's special-purpose registries (RFC 6890 and successors): ranges that are not globally
// reachable. Node's BlockList parses every textual form (compressed, embedded IPv4, mapped).
const NOT_GLOBAL = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay anycast
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) NOT_GLOBAL.addSubnet(network, prefix, "ipv4");
// Inside 2000::/3, the ranges that are not global unicast.
for (const [network, prefix] of [
  ["2001::", 23], // IETF protocol assignments (Teredo, benchmarking, ORCHID)
  ["2001:db8::", 32], // documentation
  ["2002::", 16], // 6to4: embeds any IPv4 address, private ones included
  ["3fff::", 20], // documentation
] as const) NOT_GLOBAL.addSubnet(network, prefix, "ipv6");

/** Global unicast IPv6 (RFC 4291): everything else (loopback, ::/96 IPv4-compatible, 64:ff9b::/96, fc00::/7, fe80::/10, fec0::/10, ff00::/8) is not. */
const GLOBAL_UNICAST_IPV6 = new BlockList();
GLOBAL_UNICAST_IPV6.addSubnet("2000::", 3, "ipv6");
/** ::ffff:a.b.c.d is the IPv4 host a.b.c.d itself; BlockList applies the IPv4 rules to it. */
const IPV4_MAPPED = new BlockList();
IPV4_MAPPED.addSubnet("::ffff:0:0", 96, "ipv6");

/** Whether an address is anything but a globally reachable unicast address (IPv4 or IPv6, brackets allowed). */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "").toLowerCase();
  // A zone index (fe80::1%eth0) only exists for link-local addresses.
  if (bare.includes("%")) return isIP(bare) === 6;
  if (isIP(bare) === 4) return NOT_GLOBAL.check(bare, "ipv4");
  if (isIP(bare) !== 6) return false;
  if (IPV4_MAPPED.check(bare, "ipv6")) return NOT_GLOBAL.check(bare, "ipv6");
  return !GLOBAL_UNICAST_IPV6.check(bare, "ipv6") || NOT_GLOBAL.check(bare, "ipv6");
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
