import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";
import { SECURITY_HEADERS } from "./lib/security-headers";

const nextConfig: NextConfig = {
  // Native and server-only packages stay out of the bundle.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "bcryptjs"],
  poweredByHeader: false,
  // `npm test` type-checks the whole repository once (tsc --noEmit) before building; checking
  // again inside `next build` would double the slowest step of CI on a 2-core machine.
  typescript: { ignoreBuildErrors: true },
  // The Content-Security-Policy, which needs a nonce per page, comes from proxy.ts.
  async headers() {
    return [{ source: "/:path*", headers: SECURITY_HEADERS }];
  },
};

// Finds i18n/request.ts: the locale and messages of each request.
export default createNextIntlPlugin()(nextConfig);
