// One way to show a date or a time on every page, server- or browser-rendered, so one day never
// appears as "12/7/2026", "7 Dec 2026" and "07/12/2026" on three pages: "7 Dec 2026",
// "7 Dec 2026, 21:04:05", "21:04:05". Ferry speaks English; the day-month order is en-GB's.
const LOCALE = "en-GB";
const DATE = new Intl.DateTimeFormat(LOCALE, { day: "numeric", month: "short", year: "numeric" });
const TIME = new Intl.DateTimeFormat(LOCALE, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });

type DateInput = string | number | Date | null | undefined;

function asDate(value: DateInput): Date | null {
  if (value === null || value === undefined || value === "") return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "7 Dec 2026"; "—" when there is no date. */
export function formatDate(value: DateInput): string {
  const date = asDate(value);
  return date ? DATE.format(date) : "—";
}

/** "21:04:05" */
export function formatTime(value: DateInput): string {
  const date = asDate(value);
  return date ? TIME.format(date) : "—";
}

/** "7 Dec 2026, 21:04:05" */
export function formatDateTime(value: DateInput): string {
  const date = asDate(value);
  return date ? `${DATE.format(date)}, ${TIME.format(date)}` : "—";
}
