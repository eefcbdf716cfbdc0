// A parsed, authenticated request as the sandbox's handlers see it (segments after /api/v1 or /api/v2).
export type { SandboxRequest as ApiRequest } from "@/connectors/shared/sandbox-kit";
