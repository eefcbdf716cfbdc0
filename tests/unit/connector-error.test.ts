import { describe, expect, it } from "vitest";
import { CONNECTOR_ERROR_CODES, ConnectorError, userMessageFor } from "@/connectors/types";

describe("ConnectorError", () => {
  it("gives every error code its own user-facing message", () => {
    const messages = CONNECTOR_ERROR_CODES.map(userMessageFor);
    expect(new Set(messages).size).toBe(CONNECTOR_ERROR_CODES.length);
  });

  it("keeps a specific message while still offering the generic one", () => {
    const error = new ConnectorError("VALIDATION", "email is not valid", { status: 400, field: "emails" });
    expect(error.message).toBe("email is not valid");
    expect(error.userMessage).toMatch(/rejected the data/);
    expect(error.field).toBe("emails");
  });
});
