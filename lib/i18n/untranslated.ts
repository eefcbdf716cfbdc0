// Finds user-visible English left in app/: the check behind tests/unit/i18n-catalogues.test.ts and
// `npm run i18n:untranslated`, which lists each offence as file:line so strings added later can be
// moved into messages/en.json and messages/fr.json. It reads the TSX with the TypeScript compiler:
// text between tags, string literals in attributes and props a user reads (below), and the string
// branches of expressions rendered as children ({busy ? "Saving…" : "Save"}).
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

/** Attributes the browser shows or reads aloud, and the props of app/_components that render as text. */
const VISIBLE_ATTRIBUTES = new Set([
  "placeholder",
  "title",
  "aria-label",
  "aria-description",
  "alt",
  "label",
  "description",
  "hint",
  "emptyMessage",
  "filterPlaceholder",
  "confirmLabel",
  "message",
  "header",
  "error",
]);
/** Constants that hold the words of a page by convention (`const TEXT = { … }`, `STATUS_LABELS`): every string in them is visible. */
const WORDING_CONSTANT = /^[A-Z_]*(TEXT|LABELS?|MESSAGES?|TITLES?|HINTS?|DESCRIPTIONS?)[A-Z_]*$/;
/** The same names as object properties (column definitions, nav items, step lists). */
const VISIBLE_PROPERTIES = new Set(["label", "title", "description", "hint", "header", "message", "emptyMessage", "placeholder"]);
/**
 * Text that is the same in every language, hence allowed: Ferry's own name and the file format
 * Ferry exports (CSV). Names of systems come from connector manifests, never from app/.
 */
const SAME_IN_EVERY_LANGUAGE = new Set(["Ferry", "CSV"]);

export type Offence = { file: string; line: number; text: string };

function readsAsWords(text: string): boolean {
  const words = text.match(/\p{L}{2,}/gu) ?? [];
  return words.some((word) => !SAME_IN_EVERY_LANGUAGE.has(word));
}

/** String literals an expression evaluates to when rendered: both branches of ?:, operands of && || ?? +, template text. */
function renderedStrings(expression: ts.Expression): ts.Node[] {
  if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) return [expression];
  if (ts.isTemplateExpression(expression)) return [expression.head, ...expression.templateSpans.map((span) => span.literal)];
  if (ts.isParenthesizedExpression(expression)) return renderedStrings(expression.expression);
  if (ts.isConditionalExpression(expression)) return [...renderedStrings(expression.whenTrue), ...renderedStrings(expression.whenFalse)];
  if (ts.isBinaryExpression(expression)) {
    const operator = expression.operatorToken.kind;
    if (operator === ts.SyntaxKind.AmpersandAmpersandToken) return renderedStrings(expression.right);
    if (operator === ts.SyntaxKind.BarBarToken || operator === ts.SyntaxKind.QuestionQuestionToken || operator === ts.SyntaxKind.PlusToken) {
      return [...renderedStrings(expression.left), ...renderedStrings(expression.right)];
    }
  }
  return [];
}

function textOf(node: ts.Node): string {
  if (ts.isJsxText(node)) return node.text;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) return node.text;
  return "";
}

function visibleNodes(node: ts.Node): ts.Node[] {
  if (ts.isJsxText(node)) return [node];
  if (ts.isJsxExpression(node) && node.expression && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) return renderedStrings(node.expression);
  if (ts.isJsxAttribute(node) && VISIBLE_ATTRIBUTES.has(node.name.getText())) {
    const value = node.initializer;
    if (!value) return [];
    if (ts.isStringLiteral(value)) return [value];
    if (ts.isJsxExpression(value) && value.expression) return renderedStrings(value.expression);
  }
  if (ts.isPropertyAssignment(node) && VISIBLE_PROPERTIES.has(node.name.getText())) return renderedStrings(node.initializer);
  if (ts.isVariableDeclaration(node) && WORDING_CONSTANT.test(node.name.getText()) && node.initializer) return allStrings(node.initializer);
  return [];
}

function allStrings(node: ts.Node): ts.Node[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
    return ts.isPropertyAssignment(node.parent) && node.parent.name === node ? [] : [node];
  if (ts.isTemplateExpression(node)) return [node.head, ...node.templateSpans.flatMap((span) => [...allStrings(span.expression), span.literal])];
  const found: ts.Node[] = [];
  ts.forEachChild(node, (child) => {
    found.push(...allStrings(child));
  });
  return found;
}

export function untranslatedIn(file: string, source: string): Offence[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const offences: Offence[] = [];
  const seen = new Set<number>();
  const visit = (node: ts.Node) => {
    for (const found of visibleNodes(node)) {
      const text = textOf(found);
      if (!seen.has(found.pos) && readsAsWords(text)) {
        seen.add(found.pos);
        const line = sourceFile.getLineAndCharacterOfPosition(found.getStart(sourceFile)).line + 1;
        offences.push({ file, line, text: text.replace(/\s+/g, " ").trim() });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return offences;
}

function tsxFiles(directory: string): string[] {
  return fs
    .readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".tsx"))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Every offence under `directory` (app/), paths relative to `root`, in file and line order. */
export function untranslatedStrings(root: string, directory = "app"): Offence[] {
  return tsxFiles(path.join(root, directory))
    .sort()
    .flatMap((file) => untranslatedIn(path.relative(root, file), fs.readFileSync(file, "utf8")));
}

export function formatOffences(offences: Offence[]): string {
  return offences.map((offence) => `${offence.file}:${offence.line}  ${JSON.stringify(offence.text)}`).join("\n");
}
