// Which client a request comes from, for rate limits. The address is the TCP peer's, stamped on
// every request by the server itself (X-Forwarded-For is written by whoever sends the request);
// behind reverse proxies, TRUSTED_PROXY_COUNT says how many of X-Forwarded-For's right-most
// entries were written by proxies Ferry trusts.
import diagnostics from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";

/** Set on each request from its socket, overwriting whatever the client sent under that name. */
export const CONNECTION_ADDRESS_HEADER = "x-ferry-connection-address";
export const UNKNOWN_CLIENT = "unknown";

type RequestHeaders = Record<string, string | string[] | undefined>;

let stamping = false;

/** Subscribes once to Node's "request received" channel, before Next.js sees the request. */
export function stampConnectionAddresses(): void {
  if (stamping) return;
  stamping = true;
  diagnostics.subscribe("http.server.request.start", (message) => {
    const { request } = message as { request: IncomingMessage };
    const address = request.socket?.remoteAddress;
    if (address) request.headers[CONNECTION_ADDRESS_HEADER] = address;
    else delete request.headers[CONNECTION_ADDRESS_HEADER];
  });
}

function expandIpv6(address: string): number[] {
  const [head, tail = null] = address.split("::") as [string, string?];
  const groups = (part: string | null) => (part ? part.split(":").map((group) => parseInt(group, 16)) : []);
  const left = groups(head);
  const right = groups(tail);
  return tail === null ? left : [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * One key per client: an IPv4 address (IPv4-mapped IPv6 unwrapped), or an IPv6 address's /64,
 * the block one subscriber usually holds (else rotating through it would dodge the limit).
 */
export function clientKey(address: string): string {
  const bare = address
    .trim()
    .replace(/^\[|\]$/g, "")
    .toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (mapped) return mapped[1];
  if (isIP(bare) === 4) return bare;
  if (isIP(bare) !== 6 || bare.includes(".") || bare.includes("%")) return bare;
  return `${expandIpv6(bare)
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(":")}::/64`;
}

function headerValues(headers: RequestHeaders, name: string): string[] {
  const value = headers[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).flatMap((entry) => entry.split(","));
}

/** The client's key for rate limits: the connection's address, or the entry the last trusted proxy vouched for. */
export function clientAddress(headers: RequestHeaders | undefined, trustedProxyCount: number): string {
  const peer = headerValues(headers ?? {}, CONNECTION_ADDRESS_HEADER)[0]?.trim();
  if (!peer) return UNKNOWN_CLIENT;
  if (trustedProxyCount === 0) return clientKey(peer);
  const chain = [...headerValues(headers ?? {}, "x-forwarded-for").map((entry) => entry.trim()), peer];
  // The last trustedProxyCount hops are our proxies; the entry before them is who reached the first.
  const vouched = chain[chain.length - 1 - trustedProxyCount];
  return clientKey(vouched && isIP(vouched.replace(/^\[|\]$/g, "")) !== 0 ? vouched : peer);
}
