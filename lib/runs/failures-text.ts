// The failures table's description, shared by the dashboard (rendered in the browser: no server imports).
// The Failed card counts what failed in this run; the table and the CSV list the failed records
// still attributed to it. A retry run takes over the records it retries, so the two can differ:
// the difference is said in words instead of two numbers that seem to disagree.

/** Why the failures table may list fewer than the Failed card counts, in words. */
export function failuresDescription(failedInRun: number, listed: number, table: { shown: number; truncated: boolean }): string {
  const parts: string[] = [];
  if (failedInRun > listed) {
    const retried = failedInRun - listed;
    parts.push(
      `${failedInRun.toLocaleString("en")} failed in this run; ${retried.toLocaleString("en")} of them ${retried === 1 ? "was" : "were"} retried by a later run and ${retried === 1 ? "is" : "are"} listed there.`,
    );
  }
  parts.push(
    table.truncated
      ? `The newest ${table.shown.toLocaleString("en")} are shown; the CSV has them all.`
      : "Each failed record with its reason; fix the cause and retry the failed records.",
  );
  return parts.join(" ");
}
