// Per-record randomness: every record draws from its own PRNG seeded by (seed, stream, index),
// so record i of any object type can be generated alone, in any order, with the same result.
import { seededRandom } from "@/connectors/shared/sandbox-kit";

export type Random = () => number;

/** murmur3's finaliser, folding one more 32-bit value into the hash. */
function mix(hash: number, value: number): number {
  let h = (hash ^ (value >>> 0)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The PRNG for one record (or one part of it: `part` tells a ticket's messages apart). */
export function recordRandom(seed: number, stream: number, index: number, part = 0): Random {
  const seedHigh = Math.floor(seed / 2 ** 32);
  const hash = mix(mix(mix(mix(mix(0x9e3779b9, seed), seedHigh), stream), index), part);
  return seededRandom(hash);
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** An integer in [min, max], both included. */
export function between(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function chance(random: Random, probability: number): boolean {
  return random() < probability;
}

/** Picks by weight: `[["open", 3], ["closed", 1]]` gives "open" three times as often. */
export function weighted<T>(random: Random, entries: readonly (readonly [T, number])[]): T {
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [value, weight] of entries) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return entries[entries.length - 1][0];
}

/** Up to `max` distinct items, in list order. */
export function some<T>(random: Random, items: readonly T[], max: number): T[] {
  const count = between(random, 0, max);
  const chosen = new Set<number>();
  for (let attempt = 0; attempt < count * 3 && chosen.size < count; attempt += 1) chosen.add(Math.floor(random() * items.length));
  return [...chosen].sort((a, b) => a - b).map((index) => items[index]);
}
