// CURRENCY composite (reference §3.3): { amountMicros, currencyCode }, amount × 1 000 000.
// Postgres returns amountMicros as a bigint, which may arrive as a string.
import type { Currency } from "@/connectors/types";

export type TwentyCurrency = { amountMicros: number | null; currencyCode: string };

const MICROS_PER_UNIT = 1_000_000;

export function currencyFromTwenty(value: unknown): Currency | null {
  if (value === null || typeof value !== "object") return null;
  const raw = value as { amountMicros?: unknown; currencyCode?: unknown };
  const micros = typeof raw.amountMicros === "string" && raw.amountMicros.trim() !== "" ? Number(raw.amountMicros) : raw.amountMicros;
  if (typeof micros !== "number" || !Number.isFinite(micros)) return null;
  return { amountMicros: micros, currencyCode: typeof raw.currencyCode === "string" ? raw.currencyCode : "" };
}

/** Currency, or a plain amount in major units with the field's default currency. */
export function currencyToTwenty(value: Currency | number | string, defaultCurrencyCode: string): TwentyCurrency | null {
  if (typeof value === "object") return { amountMicros: Math.round(value.amountMicros), currencyCode: value.currencyCode || defaultCurrencyCode };
  const amount = typeof value === "number" ? value : Number(value.replace(/[\s,]/g, ""));
  if (!Number.isFinite(amount)) return null;
  return { amountMicros: Math.round(amount * MICROS_PER_UNIT), currencyCode: defaultCurrencyCode };
}
