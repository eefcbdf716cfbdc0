import { describe, expect, it } from "vitest";
import { can } from "@/lib/auth/roles";

describe("roles", () => {
  it("lets only admins manage connections and members, and everyone run migrations", () => {
    expect(can("admin", "connections:manage")).toBe(true);
    expect(can("member", "connections:manage")).toBe(false);
    expect(can("member", "members:manage")).toBe(false);
    expect(can("member", "migrations:run")).toBe(true);
  });
});
