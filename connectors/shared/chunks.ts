/** `list` cut into consecutive slices of at most `size` items (batches, lookups, deletes). */
export function chunks<T>(list: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < list.length; start += size) result.push(list.slice(start, start + size));
  return result;
}
