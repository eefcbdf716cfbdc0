import { describe, expect, it } from "vitest";
import { sampleManifest } from "@/connectors/sample/manifest";
import { describeSample } from "@/connectors/sample/schema";
import { describeCreatedAt } from "@/connectors/shared/record-dates";
import { teamworkDeskManifest } from "@/connectors/teamwork-desk/manifest";
import { twentyManifest } from "@/connectors/twenty/manifest";
import { validatePlanShape, type MigrationPlanInput } from "@/lib/plan";
import { estimateSeconds, planSentences } from "@/lib/runs/full-run-summary";

const sourceSchema = describeCreatedAt(describeSample());

/** Tickets with their messages as records, companies off; other Sample objects left out of the plan. */
function plan(
  overrides: Partial<MigrationPlanInput> = {},
  ticketDates = true,
  messages: { targetObject: string; mode: "records" | "children" } = { targetObject: "notes", mode: "records" },
) {
  return validatePlanShape({
    sourceSystem: "sample",
    targetSystem: "twenty",
    objects: [
      { sourceObject: "companies", targetObject: "companies", enabled: false, fieldMappings: [] },
      {
        sourceObject: "tickets",
        targetObject: "tickets",
        enabled: true,
        fieldMappings: [{ sourceField: "subject", targetField: "name" }, ...(ticketDates ? [{ sourceField: "createdAt", targetField: "createdAt" }] : [])],
        childObjects: [
          {
            childKey: "messages",
            sourceObject: "messages",
            ...messages,
            enabled: true,
            fieldMappings: [{ sourceField: "body", targetField: "bodyV2" }],
            parentLink: null,
            alsoLink: [],
            titleField: null,
          },
        ],
      },
    ],
    userMappings: [
      { sourceUserId: "agt_1", sourceEmail: "a@example.com", targetUserId: "member-1" },
      { sourceUserId: "agt_2", sourceEmail: "b@example.com", targetUserId: null },
    ],
    ...overrides,
  });
}

describe("planSentences: what will not migrate", () => {
  const toTwenty = planSentences(plan(), { source: sampleManifest, target: twentyManifest, sourceSchema }).willNotMigrate;

  it.each([
    ["an object turned off", "Companies: turned off in the plan."],
    [
      "the unmapped fields, by name, the inbox among them",
      "Tickets: Status, Priority, Type, Source, Inbox, Customer and 16 more are not mapped (see the Mapping step).",
    ],
    [
      "messages' creation dates not mapped",
      "Ticket messages: their original creation dates; in Twenty they are dated the day of the migration (map Created in the Mapping step where Twenty has a date field for it).",
    ],
    ["the inboxes, left out of the plan, and the links to them", "Inboxes: not in the plan; the Inbox of tickets is not kept."],
    ["an object left out that nothing points at", "Opportunities: not in the plan."],
    [
      "agents, matched by email and never created",
      "Agents: not created in Twenty; matched to its users by email (1 of 2; the others leave owner and assignee fields empty).",
    ],
    [
      "attachments and inline images Twenty cannot take",
      "Attachments (files on tickets and messages): Twenty cannot take files through its API; they stay in Sample data. Images inside message text become a placeholder naming the file.",
    ],
    ["what Twenty sets itself", twentyManifest.notWritten[0]],
  ])("names %s", (_what, line) => {
    expect(toTwenty).toContain(line);
  });

  it("says nothing about tickets' dates when the plan maps them, and everything when it does not", () => {
    expect(toTwenty.filter((line) => line.startsWith("Tickets: their original creation dates"))).toEqual([]);
    const undated = planSentences(plan({}, false), { source: sampleManifest, target: twentyManifest, sourceSchema }).willNotMigrate;
    expect(undated).toContain(
      "Tickets: their original creation dates; in Twenty they are dated the day of the migration (map Created in the Mapping step where Twenty has a date field for it).",
    );
  });

  it("takes what the target keeps by itself into account: Teamwork Desk's import keeps dates and takes files", () => {
    const toDesk = planSentences(plan({ targetSystem: "teamwork-desk" }, false, { targetObject: "messages", mode: "children" }), {
      source: sampleManifest,
      target: teamworkDeskManifest,
      sourceSchema,
    }).willNotMigrate;
    expect(toDesk.filter((line) => /creation dates|Attachments/.test(line))).toEqual([]);
    expect(toDesk).toEqual(expect.arrayContaining(teamworkDeskManifest.notWritten));
  });

  it("says attachments are skipped when the plan skips them, whatever the target", () => {
    const skipping = planSentences(plan({ targetSystem: "teamwork-desk", options: { skipAttachments: true } }), {
      source: sampleManifest,
      target: teamworkDeskManifest,
      sourceSchema,
    }).willNotMigrate;
    expect(skipping).toContain("Attachments and images inside messages (the plan skips them); images in message text become a placeholder naming the file.");
  });

  it("falls back to a general sentence when the source could not be described", () => {
    const blind = planSentences(plan(), { source: sampleManifest, target: twentyManifest, sourceSchema: null }).willNotMigrate;
    expect(blind).toContain("Source fields without a mapping (see the Mapping step).");
    expect(blind.filter((line) => line.startsWith("Inboxes"))).toEqual([]);
  });
});

describe("estimateSeconds", () => {
  it("counts Teamwork Desk's one-per-request creates and ten-ticket imports, and Twenty's batches of 200", () => {
    const desk = estimateSeconds([{ targetObject: "customers", count: 1_000 }], teamworkDeskManifest);
    // 1,000 creates one a request plus 100 look-ups, at 120 a minute: not 1,000 ÷ 10 × 2 = 200 requests.
    expect(desk).toEqual({ requests: 1_100, seconds: 550 });
    expect(estimateSeconds([{ targetObject: "tickets", count: 1_000 }], teamworkDeskManifest).requests).toBe(200);
    expect(estimateSeconds([{ targetObject: "people", count: 1_000 }], twentyManifest)).toEqual({ requests: 10, seconds: 6 });
  });

  it("uses the live limit when the server showed a lower one", () => {
    expect(estimateSeconds([{ targetObject: "people", count: 10_000 }], twentyManifest, { requests: 50, perMs: 60_000 })).toEqual({
      requests: 100,
      seconds: 120,
    });
  });
});
