// Ferry's opaque read cursor for Teamwork Desk: which pass (tickets are read in two passes,
// open then archived, §2.4), which page, the last id handed out (pages are ordered by id, so a
// record that slides back a page after an insert is not handed out twice) and how many records
// this read returned (so a resumed demo read still stops at `sample`).
import { z } from "zod";
import { ConnectorError } from "@/connectors/types";

const CursorSchema = z.object({
  v: z.literal(1),
  t: z.string(),
  pass: z.number().int().min(0),
  page: z.number().int().min(1),
  lastId: z.number().nullable(),
  read: z.number().int().min(0),
});
export type TeamworkDeskCursor = { pass: number; page: number; lastId: number | null; read: number };

export function encodeCursor(objectType: string, cursor: TeamworkDeskCursor): string {
  return Buffer.from(JSON.stringify({ v: 1, t: objectType, ...cursor }), "utf8").toString("base64url");
}

export function decodeCursor(objectType: string, cursor: string | null | undefined): TeamworkDeskCursor {
  if (!cursor) return { pass: 0, page: 1, lastId: null, read: 0 };
  let parsed: z.infer<typeof CursorSchema>;
  try {
    parsed = CursorSchema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new ConnectorError("VALIDATION", "The saved read position for Teamwork Desk is not valid; restart this object from the beginning.");
  }
  if (parsed.t !== objectType) throw new ConnectorError("VALIDATION", `The saved read position belongs to ${parsed.t}, not ${objectType}.`);
  return { pass: parsed.pass, page: parsed.page, lastId: parsed.lastId, read: parsed.read };
}
