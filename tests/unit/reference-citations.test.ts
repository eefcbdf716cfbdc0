// Every "§N.N" the code cites resolves to a section of an API reference in docs/reference/: inside a
// connector's folder a bare "§" means that connector's reference, anywhere else the citation names
// it ("twenty-api §6.1"). A citation that points nowhere is a claim nobody can check.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const REFERENCES = {
  "twenty-api": "docs/reference/twenty-api.md",
  "teamwork-desk-api": "docs/reference/teamwork-desk-api.md",
  "pipedrive-api": "docs/reference/pipedrive-api.md",
} as const;
type ReferenceName = keyof typeof REFERENCES;
const FOLDER_REFERENCE: Record<string, ReferenceName> = {
  "connectors/twenty": "twenty-api",
  "connectors/teamwork-desk": "teamwork-desk-api",
  "connectors/pipedrive": "pipedrive-api",
};
const CITED_FOLDERS = ["connectors", "lib", "bench/lib", "scripts", "app"];
const CITATION = /(twenty-api|teamwork-desk-api|pipedrive-api)?(?:\.md)?\s*§(\d+(?:\.\d+)*)/g;

function sourceFiles(folder: string): string[] {
  const absolute = path.join(ROOT, folder);
  if (!fs.existsSync(absolute)) return [];
  return fs.readdirSync(absolute, { withFileTypes: true, recursive: true }).flatMap((entry) => {
    const file = path.relative(ROOT, path.join(entry.parentPath, entry.name));
    return entry.isFile() && /\.(ts|tsx|md)$/.test(entry.name) && !file.includes("generated") ? [file] : [];
  });
}

function sectionsOf(reference: ReferenceName): Set<string> {
  const text = fs.readFileSync(path.join(ROOT, REFERENCES[reference]), "utf8");
  return new Set([...text.matchAll(/^#+ §(\d+(?:\.\d+)*)/gm)].map((match) => match[1]));
}

const SECTIONS = { "twenty-api": sectionsOf("twenty-api"), "teamwork-desk-api": sectionsOf("teamwork-desk-api"), "pipedrive-api": sectionsOf("pipedrive-api") };

function unresolvedCitations(file: string): string[] {
  const folderReference = Object.entries(FOLDER_REFERENCE).find(([folder]) => file.startsWith(`${folder}/`))?.[1];
  const text = fs.readFileSync(path.join(ROOT, file), "utf8");
  return [...text.matchAll(CITATION)].flatMap((match) => {
    const reference = (match[1] as ReferenceName | undefined) ?? folderReference;
    const line = text.slice(0, match.index).split("\n").length;
    if (!reference)
      return [
        `${file}:${line} §${match[2]} names no reference (write "twenty-api §${match[2]}", "teamwork-desk-api §${match[2]}" or "pipedrive-api §${match[2]}")`,
      ];
    return SECTIONS[reference].has(match[2]) ? [] : [`${file}:${line} ${reference} §${match[2]} is not a section of ${REFERENCES[reference]}`];
  });
}

describe("API reference citations", () => {
  it("reads the sections of both references", () => {
    expect(SECTIONS["twenty-api"].has("6.1")).toBe(true);
    expect(SECTIONS["teamwork-desk-api"].has("5.3")).toBe(true);
    expect(SECTIONS["pipedrive-api"].has("4.2")).toBe(true);
  });

  it("resolve to a section of a reference in docs/reference", () => {
    const files = CITED_FOLDERS.flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap(unresolvedCitations)).toEqual([]);
  });
});
