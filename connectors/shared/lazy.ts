// A value loaded once per session on first use (a workspace's data model, a company's users):
// concurrent callers share one load, and a failed load is forgotten so the next caller tries again.
export function lazy<T>(load: () => Promise<T>): { get: () => Promise<T>; reset: () => void } {
  let pending: Promise<T> | null = null;
  return {
    get: () => {
      pending ??= load().catch((error: unknown) => {
        pending = null;
        throw error;
      });
      return pending;
    },
    reset: () => {
      pending = null;
    },
  };
}
