import { seededRandom } from "@/connectors/shared/sandbox-kit";

// Twenty's isValidUuid (twenty-shared) accepts any RFC 4122-shaped UUID, not only v4.
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID_PATTERN.test(value);
}

/** UUID v4-shaped ids from a seeded sequence, so seeded data and metadata ids repeat across runs. */
export function seededUuids(seed: number): () => string {
  const random = seededRandom(seed);
  const hex = (count: number) => {
    let out = "";
    for (let index = 0; index < count; index += 1) out += Math.floor(random() * 16).toString(16);
    return out;
  };
  return () => `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[Math.floor(random() * 4)]}${hex(3)}-${hex(12)}`;
}
