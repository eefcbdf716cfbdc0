// SSRF guard for the addresses users type (ARCHITECTURE.md, Security): a connection must reach a
// global unicast address unless the deployment explicitly allows private ones (sandboxes, tests).
// Connectors check the base URL's shape in connect() (assertPublicBaseUrl), and every HTTP client
// checks each connection's actual address when it is made (guardedTransport); lib/connections.ts
// relies on both.
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";
import type { Duplex } from "node:stream";
import { ConnectorError } from "@/connectors/types";

export type HostGuardOptions = {
  /** Lets the URL be a loopback or private address (ALLOW_PRIVATE_CONNECTION_URLS). */
  allowPrivateHosts?: boolean;
  /** What Ferry does connect to, for the refusal: "publicly reachable Twenty servers". */
  publicTargets?: string;
  /** The credential field holding the URL, so the form can show the refusal next to it. */
  field?: string;
};

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
] as const)
  NOT_GLOBAL.addSubnet(network, prefix, "ipv4");
// Inside 2000::/3, the ranges that are not global unicast.
for (const [network, prefix] of [
  ["2001::", 23], // IETF protocol assignments (Teredo, benchmarking, ORCHID)
  ["2001:db8::", 32], // documentation
  ["2002::", 16], // 6to4: embeds any IPv4 address, private ones included
  ["3fff::", 20], // documentation
] as const)
  NOT_GLOBAL.addSubnet(network, prefix, "ipv6");

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

/** The refusal for a base URL (or an address) the guard turned away. */
export function privateAddressRefusal(baseUrl: string, { publicTargets = "publicly reachable servers", field }: HostGuardOptions = {}): ConnectorError {
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
  if (!options.allowPrivateHosts && isPrivateHostName(url.hostname)) throw privateAddressRefusal(baseUrl, options);
}

/** The code of the error a guarded connection fails with; the HTTP clients turn it into the refusal. */
export const PRIVATE_ADDRESS_CODE = "EFERRY_PRIVATE_ADDRESS";

function privateAddressError(host: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${host} resolves to a private or local network address`), { code: PRIVATE_ADDRESS_CODE });
}

export function isPrivateAddressRefusal(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === PRIVATE_ADDRESS_CODE;
}

/**
 * dns.lookup for the connection itself: the address checked is the address connected to, so a
 * name that answers differently later (DNS rebinding) gains nothing. Fails closed: a failed
 * look-up fails the connection, and one private answer among several refuses them all.
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    if (addresses.length === 0 || addresses.some((entry) => isPrivateAddress(entry.address))) return callback(privateAddressError(hostname), []);
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};

type ConnectionOptions = http.ClientRequestArgs;
type ConnectionCallback = (error: Error | null, stream: Duplex) => void;

/** A literal IP address is connected to without a look-up, so it is checked here. */
function refuseLiteral(options: ConnectionOptions, callback: ConnectionCallback | undefined): boolean {
  const host = String(options.host ?? options.hostname ?? "").replace(/^\[|\]$/g, "");
  if (isIP(host) === 0 || !isPrivateAddress(host)) return false;
  const refuse = callback ?? (() => undefined);
  process.nextTick(() => refuse(privateAddressError(host), undefined as unknown as Duplex));
  return true;
}

class GuardedHttpAgent extends http.Agent {
  override createConnection(options: ConnectionOptions, callback?: ConnectionCallback): Duplex | null | undefined {
    if (refuseLiteral(options, callback)) return undefined;
    return super.createConnection({ ...options, lookup: guardedLookup }, callback);
  }
}

class GuardedHttpsAgent extends https.Agent {
  override createConnection(options: https.RequestOptions, callback?: ConnectionCallback): Duplex | null | undefined {
    if (refuseLiteral(options, callback)) return undefined;
    return super.createConnection({ ...options, lookup: guardedLookup }, callback);
  }
}

let agents: { httpAgent: http.Agent; httpsAgent: https.Agent } | undefined;

/**
 * axios settings for every outbound request to a user-supplied address: agents that check each
 * connection's address, and no proxy from the environment (the check would see the proxy, not
 * the host). With private hosts allowed (sandboxes, tests), plain settings.
 */
export function guardedTransport(allowPrivateHosts: boolean | undefined): { httpAgent?: http.Agent; httpsAgent?: https.Agent; proxy?: false } {
  if (allowPrivateHosts) return {};
  agents ??= { httpAgent: new GuardedHttpAgent({ keepAlive: true }), httpsAgent: new GuardedHttpsAgent({ keepAlive: true }) };
  return { ...agents, proxy: false };
}
