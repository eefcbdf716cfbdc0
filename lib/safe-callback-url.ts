/** Only same-site paths: a crafted link must not send a user elsewhere after sign-in. */
export function safeCallbackUrl(value: string | undefined | null, fallback = "/migrations"): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  return value;
}
