// findExisting for the objects that cannot hold a Ferry source id: notes (no custom fields, §5.5)
// and activities whose "Ferry source id" field the user did not make (§6.2). Ferry chose
// everything such a record holds: its content, its links to a person, organization or deal, its
// author and (notes, §5.5) its creation date. The engine keeps the record it was writing
// (CONTENT_KEY); the body is rebuilt exactly as the writer sends it and compared, property by
// property, with the records Pipedrive holds:
// - notes: every note of the same parent (`GET /api/v1/notes?deal_id|person_id|org_id=`, §5.5);
// - activities: the 500 newest (`sort_by=id&sort_direction=desc`, §3.1; the reference documents
//   no parent filter on the v2 list).
// HTML is compared as its text (tags dropped, entities decoded, spaces collapsed), since Pipedrive
// sanitises the content it stores (§5.5). Source records with the same fingerprint take matching
// records one to one, newest first: the records written last are those whose answer may be lost.
import { CONTENT_KEY } from "@/connectors/types";
import type { CanonicalRecord, CanonicalValue, ExistingKey, ExistingMatch } from "@/connectors/types";
import type { HttpClient } from "@/connectors/shared/http-client";
import { fetchAll, fetchPage } from "./api";
import type { Body, MapperContext } from "./mappers/fields";
import { toBody } from "./mappers/record";
import { instantOf } from "./mappers/values";
import { resourceOf } from "./reader";

const RECENT_ACTIVITIES = 500;
const LINKS = ["deal_id", "person_id", "org_id"] as const;
/** What the writer sends and Pipedrive keeps as sent; links are compared even when not sent (then none). */
const COMPARED: Record<string, string[]> = {
  notes: ["content", "user_id", "add_time"],
  activities: ["subject", "type", "due_date", "due_time", "duration", "done", "note", "owner_id"],
};
const HTML_PROPERTIES = new Set(["content", "note"]);
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** An HTML text as its words: what survives any sanitising of the markup. */
export function textOfHtml(html: string): string {
  return html
    .replace(/<[^>]*>/g, " ")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
      if (name.startsWith("#x") || name.startsWith("#X")) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
      return ENTITIES[name.toLowerCase()] ?? entity;
    })
    .replace(/\s+/g, " ")
    .trim();
}

function comparable(property: string, value: unknown): string {
  if (value === undefined || value === null || value === "") return "";
  if (property === "add_time") return instantOf(value) ?? String(value);
  if (HTML_PROPERTIES.has(property)) return textOfHtml(String(value));
  if (property === "due_time" || property === "duration") return String(value).slice(0, 5);
  if (typeof value === "object") return String((value as { value?: unknown; id?: unknown }).value ?? (value as { id?: unknown }).id ?? "");
  return String(value).trim();
}

/** The properties a body is compared on: the links always, the others when the writer sends them. */
function propertiesOf(objectType: string, body: Body): string[] {
  return [...LINKS, ...COMPARED[objectType].filter((property) => body[property] !== undefined)];
}

const fingerprint = (properties: string[], raw: Record<string, unknown>) => JSON.stringify(properties.map((property) => comparable(property, raw[property])));

type Wanted = { sourceId: string; body: Body; properties: string[]; print: string };

function wantedOf(objectType: string, key: ExistingKey, ctx: MapperContext): Wanted | null {
  const written = key.keys[CONTENT_KEY];
  if (written === undefined) return null;
  const { createdAt, fields } = JSON.parse(written) as { createdAt: string | null; fields: Record<string, CanonicalValue> };
  const record: CanonicalRecord = { id: key.sourceId, objectType, createdAt, updatedAt: null, fields };
  try {
    const body = toBody(objectType, record, ctx, { create: true, sourceId: key.sourceId, stampCode: null });
    const properties = propertiesOf(objectType, body);
    return { sourceId: key.sourceId, body, properties, print: fingerprint(properties, body) };
  } catch {
    return null; // A record the writer could not send was never written.
  }
}

/** The records that may hold the wanted ones: the notes of their parents, or the newest activities. */
async function candidatesOf(client: HttpClient, objectType: string, wanted: Wanted[]): Promise<Record<string, unknown>[]> {
  const resource = resourceOf(objectType);
  if (objectType !== "notes") return (await fetchPage(client, resource, null, { sort_by: "id", sort_direction: "desc" }, RECENT_ACTIVITIES)).items;
  const filters = new Map<string, Record<string, string>>();
  for (const { body } of wanted) {
    const link = LINKS.find((property) => body[property] !== undefined && body[property] !== null);
    if (link) filters.set(`${link}=${String(body[link])}`, { [link]: String(body[link]) });
  }
  const byId = new Map<number, Record<string, unknown>>();
  for (const filter of filters.values()) for (const note of await fetchAll(client, resource, filter)) byId.set(Number(note.id), note);
  return [...byId.values()];
}

export async function findByContent(client: HttpClient, ctx: MapperContext, objectType: string, keys: ExistingKey[]): Promise<ExistingMatch[]> {
  if (!COMPARED[objectType]) return [];
  const wanted = keys.flatMap((key) => wantedOf(objectType, key, ctx) ?? []);
  if (wanted.length === 0) return [];
  const candidates = (await candidatesOf(client, objectType, wanted)).sort((a, b) => Number(b.id) - Number(a.id));
  const taken = new Set<number>();
  const matches: ExistingMatch[] = [];
  for (const entry of wanted) {
    // One to one: each source record takes the newest matching record no other one took.
    const match = candidates.find((raw) => !taken.has(Number(raw.id)) && fingerprint(entry.properties, raw) === entry.print);
    if (!match) continue;
    taken.add(Number(match.id));
    matches.push({ sourceId: entry.sourceId, targetId: String(match.id) });
  }
  return matches;
}
