import path from "node:path";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_DIR = path.resolve(".data", "e2e");
export const SERVER_LOG = path.join(E2E_DIR, "server.log");
export const DEMO_EMAIL = "demo@ferry.local";
export const DEMO_PASSWORD = "ferry-demo-password";
