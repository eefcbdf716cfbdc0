// Links to migrated records in the target's own app: each connector says how its URLs look
// (Connector.recordUrl); lib/runs/record-urls.ts only parses the base URL and asks it.
import { describe, expect, it } from "vitest";
import { targetRecordUrl } from "@/lib/runs/record-urls";

describe("targetRecordUrl", () => {
  it("opens a record of a self-hosted Twenty under /object/<singular name>/<id>", () => {
    expect(targetRecordUrl({ systemId: "twenty", baseUrl: "https://crm.example.com/" }, "people", "p 1")).toBe("https://crm.example.com/object/person/p%201");
    expect(targetRecordUrl({ systemId: "twenty", baseUrl: "https://crm.example.com" }, "opportunities", "o1")).toBe(
      "https://crm.example.com/object/opportunity/o1",
    );
  });

  it("gives no link for Twenty Cloud, whose app lives on a workspace subdomain Ferry does not know", () => {
    expect(targetRecordUrl({ systemId: "twenty", baseUrl: "https://api.twenty.com" }, "people", "p1")).toBeNull();
  });

  it("opens Teamwork Desk tickets, customers and companies under /desk/, nothing else", () => {
    expect(targetRecordUrl({ systemId: "teamwork-desk", baseUrl: "https://acme.teamwork.com/x" }, "tickets", "42")).toBe(
      "https://acme.teamwork.com/desk/tickets/42",
    );
    expect(targetRecordUrl({ systemId: "teamwork-desk", baseUrl: "https://acme.teamwork.com" }, "messages", "42")).toBeNull();
  });

  it("gives no link without a base URL, an id, a readable base URL, a known system or a system that has pages", () => {
    expect(targetRecordUrl(null, "people", "p1")).toBeNull();
    expect(targetRecordUrl({ systemId: "twenty", baseUrl: null }, "people", "p1")).toBeNull();
    expect(targetRecordUrl({ systemId: "twenty", baseUrl: "https://crm.example.com" }, "people", null)).toBeNull();
    expect(targetRecordUrl({ systemId: "twenty", baseUrl: "not a url" }, "people", "p1")).toBeNull();
    expect(targetRecordUrl({ systemId: "no-such-system", baseUrl: "https://crm.example.com" }, "people", "p1")).toBeNull();
    expect(targetRecordUrl({ systemId: "sample", baseUrl: "https://sample.example.com" }, "tickets", "t1")).toBeNull();
  });
});
