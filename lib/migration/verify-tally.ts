// Compact, bounded-memory tallies for verification (verify.ts), which streams the target page by
// page and must not keep its records, ids or values: at 1,000,000 records a JS Set or Map of the
// strings would cost ~100 MB per set, these cost 8–16 bytes per record, outside the JS heap.
//
// Ids and values are kept as 64-bit hashes (two 32-bit lanes, the cyrb53 construction). Not
// cryptographic, but on ordinary ids and values it behaves like a random function, so among n
// distinct strings two share a hash with probability about n² / 2⁶⁵ (IdHashSet) or n² / 2⁶⁴
// (UniqueValueTally keeps 63 bits): ~3·10⁻⁸ resp. ~5·10⁻⁸ for n = 1,000,000. What a collision
// would do: a missing target record whose id collides with one that was read counts as found; a
// record whose id collides with an earlier one is taken for a repeat of it (its checks are
// skipped); two different values that collide on a unique field count as one duplicate group.

/** High and low 32 bits of the last `hashText` result (no allocation per hash). */
let hashHigh = 0;
let hashLow = 0;

function hashText(text: string): void {
  let h1 = 0xdeadbeef ^ text.length;
  let h2 = 0x41c6ce57 ^ text.length;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  hashHigh = h2 >>> 0;
  hashLow = h1 >>> 0;
}

/** The 64-bit hash of a string as 16 hex digits (tests, diagnostics). */
export function hash64Hex(text: string): string {
  hashText(text);
  return hashHigh.toString(16).padStart(8, "0") + hashLow.toString(16).padStart(8, "0");
}

/**
 * A set of strings kept as 64-bit hashes in one open-addressing table (linear probing, at most
 * 3/4 full): 8 bytes per slot, so 11–21 bytes per member, and 8 more for a moment while it grows.
 */
export class IdHashSet {
  private slots: Uint32Array;
  private mask: number;
  private members = 0;

  constructor(initialCapacity = 1024) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity *= 2;
    this.slots = new Uint32Array(capacity * 2);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.members;
  }

  /** Adds the string; false when it (or a string with the same hash) was already in. */
  add(text: string): boolean {
    hashText(text);
    if (!this.insert(hashHigh, hashLow || 1)) return false;
    if (this.members * 4 > (this.mask + 1) * 3) this.grow();
    return true;
  }

  has(text: string): boolean {
    hashText(text);
    const high = hashHigh;
    const low = hashLow || 1;
    for (let slot = low & this.mask; ; slot = (slot + 1) & this.mask) {
      const storedLow = this.slots[slot * 2 + 1];
      if (storedLow === 0) return false;
      if (storedLow === low && this.slots[slot * 2] === high) return true;
    }
  }

  /** `low` is never 0: a slot whose low word is 0 is empty. */
  private insert(high: number, low: number): boolean {
    for (let slot = low & this.mask; ; slot = (slot + 1) & this.mask) {
      const storedLow = this.slots[slot * 2 + 1];
      if (storedLow === 0) {
        this.slots[slot * 2] = high;
        this.slots[slot * 2 + 1] = low;
        this.members += 1;
        return true;
      }
      if (storedLow === low && this.slots[slot * 2] === high) return false;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    this.mask = old.length - 1;
    this.members = 0;
    for (let index = 0; index < old.length; index += 2) if (old[index + 1] !== 0) this.insert(old[index], old[index + 1]);
  }
}

const CHUNK_ENTRIES = 65_536;
/** Which 32-bit word of a 64-bit element is its low half (the platform's byte order). */
const LOW_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HIGH_WORD = 1 - LOW_WORD;

/** Duplicate groups on one field: sorted hashes with their sizes, looked up by value. */
export class DuplicateGroups {
  constructor(
    /** Sorted 63-bit value hashes (as 64-bit elements shifted left by one). */
    private readonly keys: BigUint64Array,
    /** Records holding each value. */
    readonly sizes: Uint32Array,
  ) {}

  get count(): number {
    return this.keys.length;
  }

  /** The group's index for a value, or -1 when the value is not in a listed group. */
  indexOf(value: string): number {
    hashText(value);
    const high = hashHigh;
    const low = (hashLow << 1) >>> 0;
    const words = new Uint32Array(this.keys.buffer, this.keys.byteOffset, this.keys.length * 2);
    let from = 0;
    let to = this.keys.length - 1;
    while (from <= to) {
      const middle = (from + to) >>> 1;
      const middleHigh = words[middle * 2 + HIGH_WORD];
      const middleLow = words[middle * 2 + LOW_WORD];
      if (middleHigh === high && middleLow === low) return middle;
      if (middleHigh < high || (middleHigh === high && middleLow < low)) from = middle + 1;
      else to = middle - 1;
    }
    return -1;
  }
}

/**
 * The values of one unique field over a stream of records: each value is kept as a 63-bit hash
 * plus one bit ("a record this migration wrote holds it"), 8 bytes per record in 512 KB chunks.
 * `settle()` sorts them once (8 more bytes per record for that moment) and gives the number of
 * distinct values and the duplicate groups holding a record this migration wrote.
 */
export class UniqueValueTally {
  private chunks: Uint32Array[] = [];
  private filled = CHUNK_ENTRIES;
  private entries = 0;

  add(value: string, written: boolean): void {
    if (this.filled === CHUNK_ENTRIES) {
      this.chunks.push(new Uint32Array(CHUNK_ENTRIES * 2));
      this.filled = 0;
    }
    hashText(value);
    const chunk = this.chunks[this.chunks.length - 1];
    chunk[this.filled * 2 + HIGH_WORD] = hashHigh;
    chunk[this.filled * 2 + LOW_WORD] = ((hashLow << 1) | (written ? 1 : 0)) >>> 0;
    this.filled += 1;
    this.entries += 1;
  }

  /** Sorts what was added (and releases it): distinct values, and groups of 2+ with a written record. */
  settle(): { distinct: number; duplicates: DuplicateGroups } {
    const all = new BigUint64Array(this.entries);
    const words = new Uint32Array(all.buffer);
    let offset = 0;
    for (const [index, chunk] of this.chunks.entries()) {
      const length = index === this.chunks.length - 1 ? this.filled * 2 : chunk.length;
      words.set(chunk.subarray(0, length), offset);
      offset += length;
    }
    this.chunks = [];
    this.filled = CHUNK_ENTRIES;
    this.entries = 0;
    all.sort();
    let distinct = 0;
    const groupKeys: bigint[] = [];
    const groupSizes: number[] = [];
    for (let start = 0; start < all.length;) {
      const high = words[start * 2 + HIGH_WORD];
      const low = words[start * 2 + LOW_WORD] >>> 1;
      let end = start + 1;
      let written = (words[start * 2 + LOW_WORD] & 1) === 1;
      while (end < all.length && words[end * 2 + HIGH_WORD] === high && words[end * 2 + LOW_WORD] >>> 1 === low) {
        written ||= (words[end * 2 + LOW_WORD] & 1) === 1;
        end += 1;
      }
      distinct += 1;
      if (end - start > 1 && written) {
        groupKeys.push(all[start] & ~1n);
        groupSizes.push(end - start);
      }
      start = end;
    }
    return { distinct, duplicates: new DuplicateGroups(BigUint64Array.from(groupKeys), Uint32Array.from(groupSizes)) };
  }
}
