import { describe, expect, it } from "vitest";
import { isTransactionConflict, withConflictRetry } from "@/lib/migration/database";

function prismaError(code: string, message: string, meta?: unknown) {
  return Object.assign(new Error(message), { code, meta });
}

describe("isTransactionConflict", () => {
  it.each([
    [prismaError("P2034", "Transaction failed due to a write conflict or a deadlock. Please retry your transaction"), true],
    [prismaError("P2010", "Raw query failed. Code: `40P01`. Message: `deadlock detected`"), true],
    [prismaError("P2010", "Raw query failed", { driverAdapterError: { cause: { kind: "postgres", code: "40P01", message: "deadlock detected" } } }), true],
    [new Error("could not serialize access due to concurrent update"), true],
    [prismaError("P2002", "Unique constraint failed on the fields: (`email`)"), false],
    [new Error('relation "Run" does not exist'), false],
  ])("%s -> %s", (error, conflict) => {
    expect(isTransactionConflict(error)).toBe(conflict);
  });

  it("runs an operation PostgreSQL aborted as a deadlock victim again, then gives its result", async () => {
    let attempts = 0;
    const result = await withConflictRetry(async () => {
      attempts += 1;
      if (attempts < 3) throw prismaError("P2034", "Transaction failed due to a write conflict or a deadlock");
      return "done";
    });
    expect(result).toBe("done");
    expect(attempts).toBe(3);
  });

  it("does not repeat an operation that failed for another reason", async () => {
    let attempts = 0;
    await expect(
      withConflictRetry(async () => {
        attempts += 1;
        throw prismaError("P2002", "Unique constraint failed");
      }),
    ).rejects.toThrow("Unique constraint failed");
    expect(attempts).toBe(1);
  });
});
