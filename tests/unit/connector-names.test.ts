// lib/ and app/ name no connector: what differs per system is declared in connectors/types.ts and
// read from the registry. This test reads every source file of lib/ and app/ with the TypeScript
// parser and looks at its code only (identifiers, strings, JSX text; comments are free to cite a
// system), so adding a system never means editing the engine, the wizard or the pages.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { connectors } from "@/connectors/registry";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** Generated code (the Prisma client) is not written by hand. */
const SKIPPED_DIRECTORIES = new Set(["generated", "node_modules"]);
/**
 * Ids that are also ordinary words, matched only as a whole string literal ("sample" === id):
 * "sample" is the demo run's word too (sampleSize, "a small sample first").
 */
const ORDINARY_WORD_IDS = new Set(["sample"]);

function sourceFiles(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRECTORIES.has(entry.name) ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** "TWENTY_TICKETS_OBJECT", "teamworkDeskPaths" → "twenty-tickets-object", "teamwork-desk-paths". */
function wordsOf(identifier: string): string {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/[_$]+/g, "-")
    .toLowerCase();
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

type Rule = { id: string; name: string; inText: RegExp[]; inIdentifier: RegExp | null };

const RULES: Rule[] = Object.values(connectors).map(({ manifest }) => {
  const ordinary = ORDINARY_WORD_IDS.has(manifest.id);
  return {
    id: manifest.id,
    name: manifest.name,
    inText: [new RegExp(`\\b${escape(manifest.name)}\\b`), ...(ordinary ? [] : [new RegExp(`\\b${escape(manifest.id)}\\b`, "i")])],
    inIdentifier: ordinary ? null : new RegExp(`(^|-)${escape(manifest.id)}(-|$)`),
  };
});

/** Every place in the file's code (not its comments) that names a registered connector. */
function namings(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const report = (node: ts.Node, rule: Rule, what: string) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    found.push(`${path.relative(ROOT, file)}:${line + 1} names ${rule.name} (${rule.id}) in ${what}`);
  };
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) {
      const words = wordsOf(node.text);
      for (const rule of RULES) if (rule.inIdentifier?.test(words)) report(node, rule, `the identifier ${node.text}`);
    } else if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node) || ts.isJsxText(node)) {
      const literal = node.text;
      for (const rule of RULES) {
        if (literal === rule.id || rule.inText.some((pattern) => pattern.test(literal)))
          report(node, rule, `the text ${JSON.stringify(literal.trim().slice(0, 80))}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("lib/ and app/ name no connector", () => {
  it("finds a connector's id or name in code, not in comments (the check itself)", () => {
    const probe = path.join(ROOT, "tests/unit/.connector-names-probe.ts");
    fs.writeFileSync(
      probe,
      [
        "// Twenty and teamwork-desk in a comment are fine.",
        'export const target = "twenty";',
        "export const teamworkDeskPaths = 1;",
        'export const hint = "Move tickets to Teamwork Desk";',
        'export const sampleSize = "a small sample first";',
        'export const isDemo = (id: string) => id === "sample";',
      ].join("\n"),
    );
    try {
      expect(namings(probe).map((line) => line.replace(/^.*?:(\d+) names (.+?) \(.*$/, "$1 $2"))).toEqual([
        "2 Twenty",
        "3 Teamwork Desk",
        "4 Teamwork Desk",
        "6 Sample data",
      ]);
    } finally {
      fs.rmSync(probe);
    }
  });

  it("every registered connector is checked", () => {
    expect(RULES.map((rule) => rule.id).sort()).toEqual(Object.keys(connectors).sort());
  });

  it("no file of lib/ or app/ names one", () => {
    const files = [...sourceFiles(path.join(ROOT, "lib")), ...sourceFiles(path.join(ROOT, "app"))];
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap(namings)).toEqual([]);
  });
});
