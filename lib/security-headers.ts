// Response headers against clickjacking, script injection and leaks (README, Security). Pages get
// a Content-Security-Policy with a nonce per request from proxy.ts (Next.js stamps its own scripts
// with it, node_modules/next/dist/docs/01-app/02-guides/content-security-policy.md); every
// response gets the static headers from next.config.ts.

export const SECURITY_HEADERS = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  // Invite links carry their token in the path: never hand it to another site.
  { key: "Referrer-Policy", value: "same-origin" },
];

/**
 * Scripts only with this request's nonce (and what they load: 'strict-dynamic'); styles from the
 * app's stylesheet plus inline style attributes (React renders some, e.g. progress bars; a nonce
 * cannot cover attributes). React needs eval in development only.
 */
export function contentSecurityPolicy(nonce: string, development: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
