// RICH_TEXT_V2 composite (reference §3.3): { markdown, blocknote }. Ferry reads it as HTML
// (markdown rendered with marked) and writes markdown only: the reference says an import may
// send markdown alone and Twenty derives the blocknote document from it.
import { marked } from "marked";
import { createTurndown } from "@/connectors/shared/html-markdown";
import { looksLikeHtml, textToHtmlParagraphs } from "@/connectors/shared/values";

export type TwentyRichText = { markdown: string };

const turndown = createTurndown();

export function markdownToHtml(markdown: string): string {
  return (marked.parse(markdown, { async: false, gfm: true, breaks: true }) as string).trim();
}

/** Text of a BlockNote document (JSON string): the fallback when a record has no markdown. */
export function blocknoteToText(blocknote: string): string {
  let document: unknown;
  try {
    document = JSON.parse(blocknote);
  } catch {
    return "";
  }
  const lines: string[] = [];
  const visit = (node: unknown): string => {
    if (Array.isArray(node)) return node.map(visit).join("");
    if (node === null || typeof node !== "object") return "";
    const block = node as { text?: unknown; content?: unknown; children?: unknown };
    return (typeof block.text === "string" ? block.text : "") + visit(block.content);
  };
  const blocks = Array.isArray(document) ? document : [document];
  for (const block of blocks) {
    lines.push(visit(block));
    const children = (block as { children?: unknown })?.children;
    if (Array.isArray(children)) for (const child of children) lines.push(visit(child));
  }
  return lines.filter((line) => line !== "").join("\n");
}

/** Twenty rich text → HTML, or null when empty. A legacy plain string is escaped into paragraphs. */
export function richTextFromTwenty(value: unknown): string | null {
  if (typeof value === "string") {
    if (value.trim() === "") return null;
    return textToHtmlParagraphs(value);
  }
  if (value === null || typeof value !== "object") return null;
  const raw = value as { markdown?: unknown; blocknote?: unknown };
  if (typeof raw.markdown === "string" && raw.markdown.trim() !== "") return markdownToHtml(raw.markdown);
  if (typeof raw.blocknote === "string" && raw.blocknote !== "") {
    const text = blocknoteToText(raw.blocknote);
    return text === "" ? null : richTextFromTwenty(text);
  }
  return null;
}

/**
 * Canonical html or longtext → markdown. HTML goes through turndown; text without tags is kept
 * verbatim (turndown would collapse its line breaks and escape its punctuation).
 */
export function toMarkdown(value: string): string {
  if (!looksLikeHtml(value)) return value.trim();
  return turndown.turndown(value).trim();
}

export function richTextToTwenty(value: string): TwentyRichText {
  return { markdown: toMarkdown(value) };
}
