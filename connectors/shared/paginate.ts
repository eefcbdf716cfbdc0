// The one pagination loop: connectors describe how to fetch a page from a cursor, the engine
// iterates pages and saves `nextCursor` with each one, so a crash resumes from the last page.
import { ConnectorError } from "@/connectors/types";

export type FetchedPage<TItem> = { items: TItem[]; nextCursor: string | null };

export type Page<TItem> = {
  items: TItem[];
  /** The cursor that fetched this page (null for the first page). */
  cursor: string | null;
  /** The cursor to resume after this page; null when it was the last. */
  nextCursor: string | null;
};

/** Yields pages until a page reports no next cursor; starts from `startCursor` when resuming. */
export async function* paginate<TItem>(
  fetchPage: (cursor: string | null) => Promise<FetchedPage<TItem>>,
  startCursor: string | null = null,
): AsyncGenerator<Page<TItem>> {
  let cursor = startCursor;
  for (;;) {
    const page = await fetchPage(cursor);
    yield { items: page.items, cursor, nextCursor: page.nextCursor };
    if (page.nextCursor === null) return;
    // An API that hands back the cursor it was given would otherwise loop forever.
    if (page.nextCursor === cursor) throw new ConnectorError("UNKNOWN", `Pagination did not advance: the next cursor equals the current one (${cursor})`);
    cursor = page.nextCursor;
  }
}
