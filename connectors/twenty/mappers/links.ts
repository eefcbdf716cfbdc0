// LINKS composite (reference §3.3): { primaryLinkUrl, primaryLinkLabel, secondaryLinks[] } ↔ a URL
// string. Company domains follow Twenty's migration guide: "https://domain.com", never a bare
// domain nor "www.domain.com" (Twenty compares domains by host and its email/calendar sync
// matches on the bare host, so a kept "www." would create a second company later).
export type TwentyLinks = { primaryLinkUrl: string; primaryLinkLabel: string; secondaryLinks: { url: string; label: string }[] };

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** "acme.com" → "https://acme.com"; keeps path, query and "www."; drops a lone trailing slash (Twenty does too, §2.5). */
export function normalizeUrl(input: string): string | null {
  const trimmed = input.trim();
  if (trimmed === "") return null;
  const withScheme = SCHEME.test(trimmed) ? trimmed : `https://${trimmed.replace(/^\/+/, "")}`;
  return withScheme.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#]+)\/$/i, "$1");
}

/**
 * The host a domain value names, lower-case, without "www." and port: the key Twenty makes unique.
 * Looser than connectors/shared/values.ts's domainHost on purpose: it also keys values Twenty
 * already holds (which Twenty, not Ferry, validated), such as a host without a dot.
 */
export function domainHost(input: string): string | null {
  const url = normalizeUrl(input);
  if (url === null) return null;
  try {
    const host = new URL(url).hostname.toLowerCase().replace(/\.$/, "");
    return host.replace(/^www\./, "") || null;
  } catch {
    return null;
  }
}

/** A company domain as Twenty wants it: "https://" + host, no "www.", no path (decision: see README). */
export function normalizeDomain(input: string): string | null {
  const host = domainHost(input);
  return host === null ? null : `https://${host}`;
}

export function linksFromTwenty(value: unknown): { primary: string | null; secondary: string[] } {
  if (value === null || typeof value !== "object") return { primary: null, secondary: [] };
  const raw = value as { primaryLinkUrl?: unknown; secondaryLinks?: unknown };
  const primary = typeof raw.primaryLinkUrl === "string" && raw.primaryLinkUrl.trim() !== "" ? raw.primaryLinkUrl : null;
  const secondary: string[] = [];
  if (Array.isArray(raw.secondaryLinks)) {
    for (const link of raw.secondaryLinks) {
      const url = link !== null && typeof link === "object" ? (link as { url?: unknown }).url : null;
      if (typeof url === "string" && url !== "") secondary.push(url);
    }
  }
  return { primary, secondary };
}

/** A URL (or a list: first is primary) plus secondary URLs → Twenty LINKS; `asDomain` applies normalizeDomain. */
export function linksToTwenty(primary: string | string[] | null, secondary: string[] = [], options: { asDomain?: boolean } = {}): TwentyLinks {
  const normalize = options.asDomain ? normalizeDomain : normalizeUrl;
  const list = (Array.isArray(primary) ? primary : primary === null ? [] : [primary]).map(normalize).filter((url): url is string => url !== null);
  const first = list[0] ?? "";
  const rest = [...list.slice(1), ...secondary.map(normalizeUrl).filter((url): url is string => url !== null)].filter(
    (url, index, all) => url !== first && all.indexOf(url) === index,
  );
  return { primaryLinkUrl: first, primaryLinkLabel: "", secondaryLinks: rest.map((url) => ({ url, label: "" })) };
}
