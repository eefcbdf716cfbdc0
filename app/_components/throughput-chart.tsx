// Records per second over time as a small inline SVG area chart (no chart library installed).
import { useLocale, useTranslations } from "next-intl";
import { formatNumber, formatTime } from "@/lib/format-date";
import type { Locale } from "@/lib/i18n/locale";

export type ThroughputPoint = { at: string; recordsPerSecond: number };

const WIDTH = 600;
const HEIGHT = 140;
const PAD = { left: 36, right: 8, top: 10, bottom: 22 };

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((candidate) => candidate * magnitude >= value) ?? 10;
  return step * magnitude;
}

function clock(iso: string, locale: Locale): string {
  return formatTime(iso, locale);
}

export function ThroughputChart({ points }: { points: ThroughputPoint[] }) {
  const t = useTranslations("throughputChart");
  const locale = useLocale();
  if (points.length === 0) {
    return <p className="py-8 text-center text-sm text-slate-500">{t("empty")}</p>;
  }
  const max = niceMax(Math.max(...points.map((point) => point.recordsPerSecond)));
  const innerWidth = WIDTH - PAD.left - PAD.right;
  const innerHeight = HEIGHT - PAD.top - PAD.bottom;
  const x = (index: number) => PAD.left + (points.length === 1 ? innerWidth / 2 : (index / (points.length - 1)) * innerWidth);
  const y = (value: number) => PAD.top + innerHeight - (value / max) * innerHeight;
  const line = points.map((point, index) => `${index === 0 ? "M" : "L"}${x(index).toFixed(1)},${y(point.recordsPerSecond).toFixed(1)}`).join(" ");
  const area = `${line} L${x(points.length - 1).toFixed(1)},${y(0)} L${x(0).toFixed(1)},${y(0)} Z`;
  const peak = Math.max(...points.map((point) => point.recordsPerSecond));
  return (
    <figure>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="h-36 w-full" role="img" aria-label={t("label", { peak })}>
        {[0, 0.5, 1].map((fraction) => (
          <g key={fraction}>
            <line
              x1={PAD.left}
              x2={WIDTH - PAD.right}
              y1={y(max * fraction)}
              y2={y(max * fraction)}
              className="stroke-slate-200"
              strokeDasharray={fraction === 0 ? undefined : "3 3"}
            />
            <text x={PAD.left - 4} y={y(max * fraction) + 3} textAnchor="end" className="fill-slate-400 text-[10px]">
              {Math.round(max * fraction * 10) / 10}
            </text>
          </g>
        ))}
        <path d={area} className="fill-indigo-100" />
        <path d={line} className="fill-none stroke-indigo-500" strokeWidth={1.5} />
        <text x={PAD.left} y={HEIGHT - 6} className="fill-slate-400 text-[10px]">
          {clock(points[0].at, locale)}
        </text>
        <text x={WIDTH - PAD.right} y={HEIGHT - 6} textAnchor="end" className="fill-slate-400 text-[10px]">
          {clock(points[points.length - 1].at, locale)}
        </text>
      </svg>
      <figcaption className="text-xs text-slate-500">{t("caption", { peak: formatNumber(peak, locale) })}</figcaption>
    </figure>
  );
}
