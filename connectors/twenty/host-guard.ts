// SSRF guard for user-supplied base URLs (ARCHITECTURE.md, Security): a self-hosted Twenty must
// be a public host unless the deployment explicitly allows private ones (sandboxes, tests).
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { ConnectorError } from "@/connectors/types";

function ipv4Private(address: string): boolean {
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
  if (isIP(bare) === 4) return ipv4Private(bare);
  if (isIP(bare) === 6) {
    if (bare === "::" || bare === "::1") return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
    if (mapped) return ipv4Private(mapped[1]);
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

function refused(baseUrl: string): ConnectorError {
  return new ConnectorError("VALIDATION", `${baseUrl} points to a private or local network address; Ferry only connects to publicly reachable Twenty servers.`);
}

/** Synchronous check of the URL itself (literal IPs and local names). */
export function assertPublicBaseUrl(baseUrl: string): void {
  if (isPrivateHostName(new URL(baseUrl).hostname)) throw refused(baseUrl);
}

/**
 * Resolves the host and refuses private addresses. A failed lookup is let through: the request
 * that follows fails with a clear "not found" naming the URL.
 */
export async function assertPublicBaseUrlResolved(baseUrl: string, resolve: (host: string) => Promise<string[]> = defaultResolve): Promise<void> {
  assertPublicBaseUrl(baseUrl);
  const hostname = new URL(baseUrl).hostname;
  if (isIP(hostname.replace(/^\[|\]$/g, "")) !== 0) return;
  let addresses: string[];
  try {
    addresses = await resolve(hostname);
  } catch {
    return;
  }
  if (addresses.some(isPrivateAddress)) throw refused(baseUrl);
}

async function defaultResolve(host: string): Promise<string[]> {
  const results = await lookup(host, { all: true });
  return results.map((result) => result.address);
}
