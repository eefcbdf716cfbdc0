import { describe, expect, it } from "vitest";
import { paginate, type FetchedPage } from "@/connectors/shared/paginate";
import { ConnectorError } from "@/connectors/types";

/** A source of `total` numbers served `pageSize` at a time, with the next offset as cursor. */
function numberSource(total: number, pageSize: number) {
  const requested: (string | null)[] = [];
  const fetchPage = async (cursor: string | null): Promise<FetchedPage<number>> => {
    requested.push(cursor);
    const start = cursor === null ? 0 : Number(cursor);
    const end = Math.min(total, start + pageSize);
    const items = Array.from({ length: end - start }, (_, index) => start + index);
    return { items, nextCursor: end < total ? String(end) : null };
  };
  return { fetchPage, requested };
}

async function collect<T>(pages: AsyncGenerator<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const page of pages) result.push(page);
  return result;
}

describe("paginate", () => {
  it("yields every page with the cursor that fetched it and the one that resumes after it", async () => {
    const { fetchPage } = numberSource(7, 3);
    const pages = await collect(paginate(fetchPage));
    expect(pages).toEqual([
      { items: [0, 1, 2], cursor: null, nextCursor: "3" },
      { items: [3, 4, 5], cursor: "3", nextCursor: "6" },
      { items: [6], cursor: "6", nextCursor: null },
    ]);
  });

  it("resumes from a saved cursor exactly where the interrupted run stopped", async () => {
    const first = numberSource(10, 4);
    let saved: string | null = null;
    for await (const page of paginate(first.fetchPage)) {
      saved = page.nextCursor;
      break; // the worker crashed after checkpointing the first page
    }
    const resumed = numberSource(10, 4);
    const items = (await collect(paginate(resumed.fetchPage, saved))).flatMap((page) => page.items);
    expect(items).toEqual([4, 5, 6, 7, 8, 9]);
    expect(resumed.requested[0]).toBe("4");
  });

  it("fetches lazily: a consumer that stops early fetches no further pages", async () => {
    const { fetchPage, requested } = numberSource(100, 10);
    for await (const page of paginate(fetchPage)) if (page.cursor === "20") break;
    expect(requested).toEqual([null, "10", "20"]);
  });

  it("yields a single empty page for an empty collection", async () => {
    const { fetchPage } = numberSource(0, 10);
    expect(await collect(paginate(fetchPage))).toEqual([{ items: [], cursor: null, nextCursor: null }]);
  });

  it("stops with an error when the API returns the same cursor again", async () => {
    const stuck = async () => ({ items: [1], nextCursor: "same" });
    const pages = paginate(stuck, "same");
    await expect(collect(pages)).rejects.toBeInstanceOf(ConnectorError);
  });

  it("passes a fetch failure through to the consumer", async () => {
    const failing = async (): Promise<FetchedPage<number>> => {
      throw new ConnectorError("TEMPORARY");
    };
    await expect(collect(paginate(failing))).rejects.toMatchObject({ code: "TEMPORARY" });
  });
});
