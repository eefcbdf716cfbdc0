// A labelled progress bar; segments show created / updated / skipped / failed within the total.
import { useLocale, useTranslations } from "next-intl";
import { formatNumber } from "@/lib/format-date";
import { cx } from "./ui";

export type ProgressSegments = { created: number; updated: number; skipped: number; failed: number };

const SEGMENTS: { key: keyof ProgressSegments; className: string }[] = [
  { key: "created", className: "bg-emerald-500" },
  { key: "updated", className: "bg-sky-500" },
  { key: "skipped", className: "bg-slate-400" },
  { key: "failed", className: "bg-red-500" },
];

export function ProgressBar({
  label,
  value,
  total,
  segments,
  className,
}: {
  label: string;
  value: number;
  total: number;
  segments?: ProgressSegments;
  className?: string;
}) {
  const t = useTranslations("progress");
  const locale = useLocale();
  const percent = total > 0 ? Math.min(100, Math.round((value / total) * 1000) / 10) : value > 0 ? 100 : 0;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={Math.max(total, value)}
      aria-valuenow={value}
      aria-valuetext={t("valueText", { value: formatNumber(value, locale), total: formatNumber(total, locale), percent })}
      className={cx("flex h-2.5 w-full overflow-hidden rounded-full bg-slate-100", className)}
    >
      {segments && total > 0 ? (
        SEGMENTS.map((segment) => {
          const width = (Math.min(segments[segment.key], total) / total) * 100;
          return width > 0 ? (
            <div
              key={segment.key}
              className={cx("h-full transition-[width] duration-500", segment.className)}
              style={{ width: `${width}%` }}
              title={t(`segment.${segment.key}`, { count: segments[segment.key] })}
            />
          ) : null;
        })
      ) : (
        <div className="h-full bg-indigo-500 transition-[width] duration-500" style={{ width: `${percent}%` }} />
      )}
    </div>
  );
}

export function ProgressLegend() {
  const t = useTranslations("progress");
  return (
    <div className="flex flex-wrap gap-3 text-xs text-slate-500">
      {SEGMENTS.map((segment) => (
        <span key={segment.key} className="inline-flex items-center gap-1">
          <span aria-hidden className={cx("inline-block h-2 w-2 rounded-full", segment.className)} />
          {t(`legend.${segment.key}`)}
        </span>
      ))}
    </div>
  );
}
