import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native and server-only packages stay out of the bundle.
  serverExternalPackages: ["@libsql/client", "@prisma/adapter-libsql", "bcryptjs"],
  poweredByHeader: false,
};

export default nextConfig;
