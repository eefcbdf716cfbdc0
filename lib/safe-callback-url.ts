/**
 * Where to go after sign-in: only a page of this app. The value is resolved against the app's
 * origin the way a browser would (dropping tabs and newlines, reading backslashes as slashes) and
 * kept only if it stays on that origin; what comes back is a path the browser cannot read as
 * another host (never "//…").
 */
export function safeCallbackUrl(value: string | undefined | null, appOrigin: string, fallback = "/migrations"): string {
  if (!value) return fallback;
  let url: URL;
  try {
    url = new URL(value, appOrigin);
  } catch {
    return fallback;
  }
  if (url.origin !== new URL(appOrigin).origin || url.pathname.startsWith("//")) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
