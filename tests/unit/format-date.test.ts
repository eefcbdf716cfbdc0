import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatTime } from "@/lib/format-date";

function sourceFiles(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) ? [full] : [];
  });
}

describe("format-date", () => {
  it("writes one day one way: day, short month, year; times on a 24-hour clock", () => {
    const instant = new Date(2026, 11, 7, 9, 4, 5);
    expect(formatDate(instant)).toBe("7 Dec 2026");
    expect(formatTime(instant)).toBe("09:04:05");
    expect(formatDateTime(instant.toISOString())).toBe("7 Dec 2026, 09:04:05");
  });

  it("shows a dash for a missing or unreadable date instead of 'Invalid Date'", () => {
    expect(formatDateTime(null)).toBe("—");
    expect(formatDate("not a date")).toBe("—");
  });

  it("is the only way pages format dates (no locale-dependent toLocaleString on a Date)", () => {
    const offenders = sourceFiles(path.join(process.cwd(), "app")).filter((file) =>
      /toLocale(Date|Time)String\(|new Date\([^)]*\)\.toLocaleString\(/.test(fs.readFileSync(file, "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});
