import { describe, expect, it } from "vitest";
import { DecryptionError, generateKey, open, seal } from "@/lib/crypto";

function keyRing(...versions: number[]) {
  return new Map(versions.map((version) => [version, Buffer.from(generateKey(), "base64")]));
}

describe("credential encryption", () => {
  it("round-trips and never stores the plaintext", () => {
    const keys = keyRing(1);
    const sealed = seal('{"apiKey":"tw-secret-123"}', keys, "connection:a");
    expect(sealed.ciphertext).not.toContain("tw-secret-123");
    expect(open(sealed, keys, "connection:a")).toBe('{"apiKey":"tw-secret-123"}');
  });

  it("seals with the newest key version and still opens older ones after rotation", () => {
    const old = keyRing(1);
    const sealedWithOld = seal("old secret", old, "row");
    const rotated = new Map([...old, [2, Buffer.from(generateKey(), "base64")]]);
    const sealedWithNew = seal("new secret", rotated, "row");
    expect(sealedWithOld.keyVersion).toBe(1);
    expect(sealedWithNew.keyVersion).toBe(2);
    expect(open(sealedWithOld, rotated, "row")).toBe("old secret");
    expect(open(sealedWithNew, rotated, "row")).toBe("new secret");
  });

  it("refuses a ciphertext moved to another row", () => {
    const keys = keyRing(1);
    const sealed = seal("secret", keys, "connection:a");
    expect(() => open(sealed, keys, "connection:b")).toThrow(DecryptionError);
  });

  it("refuses tampered data and unknown key versions", () => {
    const keys = keyRing(1);
    const sealed = seal("secret", keys, "row");
    const parts = sealed.ciphertext.split(".");
    parts[3] = Buffer.from("tampered!").toString("base64");
    expect(() => open({ ...sealed, ciphertext: parts.join(".") }, keys, "row")).toThrow(/could not be decrypted/);
    expect(() => open({ ...sealed, keyVersion: 7 }, keys, "row")).toThrow(/version 7 is not in ENCRYPTION_KEYS/);
  });

  it("uses a fresh IV every time", () => {
    const keys = keyRing(1);
    expect(seal("same", keys, "row").ciphertext).not.toBe(seal("same", keys, "row").ciphertext);
  });
});
