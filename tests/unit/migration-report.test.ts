// The migration report's HTML: per-object table, warnings and failures by record name, escaping.
import { describe, expect, it } from "vitest";
import { nextStepFor } from "@/lib/runs/outcome";
import { escapeHtml, renderMigrationReport, reportFilename, type MigrationReportData } from "@/lib/runs/report";

const started = new Date("2026-12-07T21:00:00Z");
const finished = new Date("2026-12-07T21:04:30Z");

function reportData(overrides: Partial<MigrationReportData> = {}): MigrationReportData {
  return {
    migration: { id: "m1", name: "Support desk → CRM", organizationName: "Acme", sourceLabel: "Sample help desk", targetLabel: "Twenty CRM" },
    generatedAt: finished,
    runs: [
      {
        id: "run-full",
        mode: "full",
        status: "completed",
        failedRecords: 1,
        createdAt: started,
        startedAt: started,
        finishedAt: finished,
        objects: [
          { objectType: "customers", targetObjectType: "people", selected: 40, created: 37, updated: 1, skipped: 1, failed: 1, repaired: 2, valueDropped: 3 },
        ],
      },
    ],
    failures: {
      rows: [
        {
          objectType: "customers",
          sourceId: "cus_2",
          sourceName: "Nora Ng",
          errorCode: "VALIDATION",
          reason: 'Email "n/a" is not an email address',
          at: finished,
        },
      ],
      total: 1,
    },
    warnings: {
      rows: [
        {
          runMode: "full",
          objectType: "customers",
          sourceId: "cus_1",
          sourceName: "Kwame <script>alert(1)</script> Johnson",
          field: "email",
          original: "kwame johnson@northwind.example",
          action: "repaired",
          details: "Spaces removed",
        },
      ],
      total: 1,
    },
    verification: null,
    settings: {
      outstanding: [],
      restored: [
        {
          id: "s1",
          kind: "setting",
          label: "Email notifications to customers",
          status: "restored",
          error: null,
          createdAt: started.toISOString(),
          restoredAt: finished.toISOString(),
        },
      ],
      additions: [],
    },
    willNotMigrate: ["Ticket attachments: the target cannot store files."],
    ...overrides,
  };
}

describe("renderMigrationReport", () => {
  const html = renderMigrationReport(reportData());

  it("has the runs with their outcome, dates and duration, and the per-object table", () => {
    expect(html).toContain("Completed with 1 failure");
    expect(html).toContain("7 Dec 2026, 21:00:00");
    expect(html).toContain("5 min");
    expect(html).toContain(
      '<th>Object</th><th class="n">Selected</th><th class="n">Created</th><th class="n">Updated</th><th class="n">Skipped</th><th class="n">Failed</th><th class="n">Repaired</th><th class="n">Value dropped</th>',
    );
    expect(html).toContain(
      '<td>customers → people</td><td class="n">40</td><td class="n">37</td><td class="n">1</td><td class="n">1</td><td class="n">1</td><td class="n">2</td><td class="n">3</td>',
    );
  });

  it("names the warned record and keeps its original value", () => {
    expect(html).toContain(
      "<td>full</td><td>customers</td><td>Kwame &lt;script&gt;alert(1)&lt;/script&gt; Johnson (cus_1)</td><td>email</td><td>kwame johnson@northwind.example</td><td>repaired</td>",
    );
  });

  it("names the failed record with its reason and the next step", () => {
    expect(html).toContain("<td>Nora Ng (cus_2)</td><td>Email &quot;n/a&quot; is not an email address</td>");
    expect(html).toContain(`<td>${escapeHtml(nextStepFor("VALIDATION"))}</td>`);
    expect(nextStepFor("VALIDATION")).toContain("Fix the value in the source");
  });

  it("escapes user text everywhere: no markup from a record reaches the document", () => {
    expect(html).not.toContain("<script");
    const hostile = renderMigrationReport(
      reportData({
        migration: { id: "m1", name: '"><img src=x onerror=alert(1)>', organizationName: "A&B", sourceLabel: "s", targetLabel: "t" },
        willNotMigrate: ["<b>bold</b>"],
      }),
    );
    expect(hostile).not.toMatch(/<img|<b>/);
    expect(hostile).toContain("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    expect(hostile).toContain("A&amp;B");
  });

  it("says which settings Ferry changed and that they were restored, and what does not migrate", () => {
    expect(html).toContain("<td>Email notifications to customers</td><td>7 Dec 2026, 21:00:00</td><td>Restored 7 Dec 2026, 21:04:30</td>");
    expect(html).toContain("<li>Ticket attachments: the target cannot store files.</li>");
    expect(html).toContain("No run has been verified yet.");
  });

  it("names the file after the migration and the day", () => {
    expect(reportFilename(reportData())).toBe("ferry-report-support-desk-crm-2026-12-07.html");
  });
});
