// Connection credentials are sealed with AES-256-GCM. Each ciphertext names the key version
// that sealed it, so keys rotate: add a new version to ENCRYPTION_KEYS, re-seal, drop the old.
import crypto from "node:crypto";

const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT_PREFIX = "v1";

export type KeyRing = Map<number, Buffer>;

export type Sealed = { ciphertext: string; keyVersion: number };

export function currentKeyVersion(keys: KeyRing): number {
  return Math.max(...keys.keys());
}

export function seal(plaintext: string, keys: KeyRing, associatedData: string): Sealed {
  const keyVersion = currentKeyVersion(keys);
  const key = keys.get(keyVersion)!;
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  // The associated data binds a ciphertext to its row, so it cannot be pasted onto another one.
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const encrypted = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return { ciphertext: [FORMAT_PREFIX, iv.toString("base64"), tag.toString("base64"), encrypted.toString("base64")].join("."), keyVersion };
}

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DecryptionError";
  }
}

export function open(sealed: Sealed, keys: KeyRing, associatedData: string): string {
  const key = keys.get(sealed.keyVersion);
  if (!key) throw new DecryptionError(`Encryption key version ${sealed.keyVersion} is not in ENCRYPTION_KEYS.`);
  const [prefix, iv, tag, data] = sealed.ciphertext.split(".");
  if (prefix !== FORMAT_PREFIX || !iv || !tag || data === undefined) throw new DecryptionError("The stored credentials are not in a known format.");
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(associatedData, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString("utf8");
  } catch {
    throw new DecryptionError("The stored credentials could not be decrypted with this key (wrong key or tampered data).");
  }
}

export function generateKey(): string {
  return crypto.randomBytes(32).toString("base64");
}

export function sha256(text: string): string {
  return crypto.createHash("sha256").update(text, "utf8").digest("hex");
}

export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString("base64url");
}
