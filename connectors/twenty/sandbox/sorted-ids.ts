// A set of ids kept in ascending string order (the order `order_by=id` lists records in, see
// query.ts compareOrderValues), so a list page is found by binary search instead of sorting the
// whole table on every request. Ids live in chunks of at most 2 × CHUNK_SIZE (the leaf level of a
// B-tree): an insert or delete moves at most one chunk's elements, whatever the set's size.
const CHUNK_SIZE = 512;

function firstNotBelow(sorted: string[], id: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < id) low = middle + 1;
    else high = middle;
  }
  return low;
}

export class SortedIdSet {
  private chunks: string[][] = [];
  /** The last (largest) id of each chunk. */
  private maxes: string[] = [];
  /** Index of each chunk's first id in the whole set; rebuilt on demand after a change. */
  private starts: number[] | null = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The chunk that holds `id` or would hold it: the first whose max is not below it, else the last. */
  private chunkFor(id: string): number {
    return Math.min(firstNotBelow(this.maxes, id), this.maxes.length - 1);
  }

  has(id: string): boolean {
    if (this.count === 0) return false;
    const chunk = this.chunks[this.chunkFor(id)];
    return chunk[firstNotBelow(chunk, id)] === id;
  }

  add(id: string): boolean {
    if (this.count === 0) {
      this.chunks = [[id]];
      this.maxes = [id];
      this.count = 1;
      this.starts = null;
      return true;
    }
    const index = this.chunkFor(id);
    const chunk = this.chunks[index];
    const position = firstNotBelow(chunk, id);
    if (chunk[position] === id) return false;
    chunk.splice(position, 0, id);
    if (position === chunk.length - 1) this.maxes[index] = id;
    if (chunk.length > 2 * CHUNK_SIZE) {
      const tail = chunk.splice(CHUNK_SIZE);
      this.chunks.splice(index + 1, 0, tail);
      this.maxes.splice(index, 1, chunk[chunk.length - 1], tail[tail.length - 1]);
    }
    this.count += 1;
    this.starts = null;
    return true;
  }

  delete(id: string): boolean {
    if (this.count === 0) return false;
    const index = this.chunkFor(id);
    const chunk = this.chunks[index];
    const position = firstNotBelow(chunk, id);
    if (chunk[position] !== id) return false;
    chunk.splice(position, 1);
    if (chunk.length === 0) {
      this.chunks.splice(index, 1);
      this.maxes.splice(index, 1);
    } else if (position === chunk.length) {
      this.maxes[index] = chunk[chunk.length - 1];
    }
    this.count -= 1;
    this.starts = null;
    return true;
  }

  private chunkStarts(): number[] {
    if (this.starts === null) {
      const starts = new Array<number>(this.chunks.length);
      let total = 0;
      for (let index = 0; index < this.chunks.length; index += 1) {
        starts[index] = total;
        total += this.chunks[index].length;
      }
      this.starts = starts;
    }
    return this.starts;
  }

  /** The chunk holding position `index` (0 ≤ index < size). */
  private locate(index: number): { chunk: number; offset: number } {
    const starts = this.chunkStarts();
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (starts[middle] <= index) low = middle;
      else high = middle - 1;
    }
    return { chunk: low, offset: index - starts[low] };
  }

  /** The id at a position in ascending order. */
  at(index: number): string {
    if (index < 0 || index >= this.count) throw new RangeError(`No id at position ${index} of ${this.count}`);
    const { chunk, offset } = this.locate(index);
    return this.chunks[chunk][offset];
  }

  /** The ids at positions [start, end), ascending. */
  slice(start: number, end: number): string[] {
    const from = Math.max(0, start);
    const to = Math.min(this.count, end);
    const out: string[] = [];
    if (from >= to) return out;
    let { chunk, offset } = this.locate(from);
    while (out.length < to - from) {
      const ids = this.chunks[chunk];
      const take = Math.min(ids.length - offset, to - from - out.length);
      for (let index = 0; index < take; index += 1) out.push(ids[offset + index]);
      chunk += 1;
      offset = 0;
    }
    return out;
  }

  *[Symbol.iterator](): IterableIterator<string> {
    for (const chunk of this.chunks) yield* chunk;
  }
}
