// Ferry's opaque read cursor for Twenty: Twenty's own cursor (a pageInfo.endCursor, §2.1) plus
// how many records this read already returned, so a resumed demo read still stops at `sample`.
import { z } from "zod";
import { ConnectorError } from "@/connectors/types";

const CursorSchema = z.object({ v: z.literal(1), after: z.string().nullable(), read: z.number().int().min(0) });
export type TwentyReadCursor = { after: string | null; read: number };

export function encodeCursor(cursor: TwentyReadCursor): string {
  return Buffer.from(JSON.stringify({ v: 1, ...cursor }), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string | null | undefined): TwentyReadCursor {
  if (!cursor) return { after: null, read: 0 };
  try {
    const parsed = CursorSchema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return { after: parsed.after, read: parsed.read };
  } catch {
    throw new ConnectorError("VALIDATION", "The saved read position for Twenty is not valid; restart this object from the beginning.");
  }
}
