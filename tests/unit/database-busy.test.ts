import { describe, expect, it } from "vitest";
import { isDatabaseBusy, withBusyRetry } from "@/lib/migration/database";

function prismaTimeout(meta: unknown) {
  return Object.assign(new Error("Operations timed out after `N/A`."), { code: "P1008", meta });
}

describe("isDatabaseBusy", () => {
  it.each([
    [new Error("SQLITE_BUSY: database is locked"), true],
    [Object.assign(new Error("driver error"), { cause: "SQLITE_BUSY" }), true],
    [prismaTimeout({ modelName: "Run", cause: "database is locked" }), true],
    [prismaTimeout({ modelName: "Run" }), false],
    // As the libSQL adapter reports BUSY_SNAPSHOT (517): the number only.
    [prismaTimeout({ modelName: "Run", driverAdapterError: { cause: { originalCode: "517", kind: "SocketTimeout" } } }), true],
    [prismaTimeout({ modelName: "Run", driverAdapterError: { cause: { originalCode: "19", kind: "UniqueConstraintViolation" } } }), false],
    [new Error("UNIQUE constraint failed"), false],
  ])("%s -> %s", (error, busy) => {
    expect(isDatabaseBusy(error)).toBe(busy);
  });

  it("retries an operation refused while another connection writes, then gives its result", async () => {
    let attempts = 0;
    const result = await withBusyRetry(async () => {
      attempts += 1;
      if (attempts < 3) throw prismaTimeout({ cause: "database is locked" });
      return "done";
    });
    expect(result).toBe("done");
    expect(attempts).toBe(3);
  });
});
