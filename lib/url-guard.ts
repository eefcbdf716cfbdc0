// Connections may carry a user-supplied base URL (self-hosted Twenty). Outside local use, a URL
// that resolves to a loopback, private or link-local address is refused (SSRF).
import dns from "node:dns/promises";
import net from "node:net";
import { UserFacingError } from "./errors";

const BLOCKED_V4 = new net.BlockList();
for (const [address, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
] as const) {
  BLOCKED_V4.addSubnet(address, prefix, "ipv4");
}
const BLOCKED_V6 = new net.BlockList();
BLOCKED_V6.addAddress("::1", "ipv6");
BLOCKED_V6.addAddress("::", "ipv6");
BLOCKED_V6.addSubnet("fc00::", 7, "ipv6");
BLOCKED_V6.addSubnet("fe80::", 10, "ipv6");

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return BLOCKED_V4.check(mapped[1], "ipv4");
  return net.isIPv4(address) ? BLOCKED_V4.check(address, "ipv4") : BLOCKED_V6.check(address, "ipv6");
}

export async function assertPublicUrl(rawUrl: string, allowPrivate: boolean, field = "baseUrl"): Promise<void> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new UserFacingError("Enter a full URL, starting with https://", field);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new UserFacingError("The URL must start with https:// or http://", field);
  if (allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = net.isIP(host) ? [host] : (await dns.lookup(host, { all: true }).catch(() => [])).map((entry) => entry.address);
  if (addresses.length === 0) throw new UserFacingError(`The host ${host} could not be found. Check the URL.`, field);
  if (addresses.some(isPrivateAddress)) {
    throw new UserFacingError(`${host} points to a private or local network address, which Ferry does not connect to.`, field);
  }
}
