// One way to show a date, a time or a number on every page, server- or browser-rendered, so one day
// never appears as "12/7/2026", "7 Dec 2026" and "07/12/2026" on three pages. Each takes the
// reader's locale (next-intl's useLocale()/getLocale()): English reads "7 Dec 2026, 21:04:05"
// (en-GB's day-month order), French "7 déc. 2026, 21:04:05".
import { DEFAULT_LOCALE, type Locale } from "@/lib/i18n/locale";

const INTL_LOCALE: Record<Locale, string> = { en: "en-GB", fr: "fr-FR" };

function formatters(locale: Locale) {
  const tag = INTL_LOCALE[locale] ?? INTL_LOCALE[DEFAULT_LOCALE];
  return {
    date: new Intl.DateTimeFormat(tag, { day: "numeric", month: "short", year: "numeric" }),
    time: new Intl.DateTimeFormat(tag, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }),
    number: new Intl.NumberFormat(tag),
    relative: new Intl.RelativeTimeFormat(tag, { numeric: "auto" }),
  };
}
const FORMATTERS = new Map<Locale, ReturnType<typeof formatters>>();
function formattersFor(locale: Locale) {
  let found = FORMATTERS.get(locale);
  if (!found) FORMATTERS.set(locale, (found = formatters(locale)));
  return found;
}

type DateInput = string | number | Date | null | undefined;

function asDate(value: DateInput): Date | null {
  if (value === null || value === undefined || value === "") return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "7 Dec 2026" / "7 déc. 2026"; "—" when there is no date. */
export function formatDate(value: DateInput, locale: Locale = DEFAULT_LOCALE): string {
  const date = asDate(value);
  return date ? formattersFor(locale).date.format(date) : "—";
}

/** "21:04:05" */
export function formatTime(value: DateInput, locale: Locale = DEFAULT_LOCALE): string {
  const date = asDate(value);
  return date ? formattersFor(locale).time.format(date) : "—";
}

/** "7 Dec 2026, 21:04:05" */
export function formatDateTime(value: DateInput, locale: Locale = DEFAULT_LOCALE): string {
  const date = asDate(value);
  if (!date) return "—";
  const { date: day, time } = formattersFor(locale);
  return `${day.format(date)}, ${time.format(date)}`;
}

/** "12,345" / "12 345" */
export function formatNumber(value: number, locale: Locale = DEFAULT_LOCALE): string {
  return formattersFor(locale).number.format(value);
}

/** "5 minutes ago" / "il y a 5 minutes", from the largest whole unit. */
export function formatRelative(value: DateInput, now: Date, locale: Locale = DEFAULT_LOCALE): string {
  const date = asDate(value);
  if (!date) return "—";
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ];
  for (const [unit, size] of units) if (Math.abs(seconds) >= size) return formattersFor(locale).relative.format(Math.round(seconds / size), unit);
  return formattersFor(locale).relative.format(seconds, "second");
}
