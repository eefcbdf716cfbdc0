import { describe, expect, it } from "vitest";
import { permissionDetail } from "@/lib/wizard/account-text";

describe("permissionDetail", () => {
  it("does not repeat the administrator badge ('administrator administrator')", () => {
    expect(permissionDetail({ permissionLevel: "administrator", isAdministrator: true })).toBeNull();
    expect(permissionDetail({ permissionLevel: "Admin", isAdministrator: true })).toBeNull();
  });

  it("keeps a level that says more than the badge", () => {
    expect(permissionDetail({ permissionLevel: "agent", isAdministrator: false })).toBe("agent");
    expect(permissionDetail({ permissionLevel: "workspace owner", isAdministrator: true })).toBe("workspace owner");
  });
});
