// Medians, ratios and the printed table.
export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function percentile(values: number[], share: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))];
}

export const round = (value: number, digits = 1) => (Number.isFinite(value) ? Math.round(value * 10 ** digits) / 10 ** digits : Number.NaN);

export type Row = { benchmark: string; metric: string; median: string; runs: string; goal: string; met: string };

export function printTable(rows: Row[]): void {
  const headers: (keyof Row)[] = ["benchmark", "metric", "median", "runs", "goal", "met"];
  const widths = headers.map((header) => Math.max(header.length, ...rows.map((row) => row[header].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, index) => cell.padEnd(widths[index])).join(" | ")} |`;
  console.log(line(headers));
  console.log(`|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`);
  for (const row of rows) console.log(line(headers.map((header) => row[header])));
}

export function goalCell(value: number, goal: number, direction: "min" | "max"): string {
  if (!Number.isFinite(value)) return "?";
  return (direction === "min" ? value >= goal : value <= goal) ? "yes" : "NO";
}
