// HTML → Markdown as Ferry converts it everywhere (turndown): one configuration, plus inline
// images. Mail clients embed pictures by content id (`<img src="cid:image001.png@01DA…">`) or as
// data URLs; no target can resolve a `cid:` address, and a data URL is megabytes of text in a
// note. Such an image becomes a placeholder naming the file, instead of a dead
// `![image001.png](cid:…)` link.
import TurndownService from "turndown";
import { decodeHtmlEntities, escapeHtml } from "./values";

/** What an embedded image leaves in the text, naming the file when it is known. */
export function inlineImagePlaceholder(fileName: string | null): string {
  return `[inline image${fileName ? ` ${fileName}` : ""} — not migrated; see the original message]`;
}

/** The file name of an embedded image: its alt text, else the content id's name part ("image001.png"). */
export function inlineImageName(src: string, alt: string | null): string | null {
  const text = alt?.trim();
  if (text) return text;
  if (!/^cid:/i.test(src)) return null;
  const id = src.slice("cid:".length).split("@")[0];
  try {
    return decodeURIComponent(id).trim() || null;
  } catch {
    return id.trim() || null;
  }
}

const isEmbeddedImage = (node: HTMLElement): boolean => node.nodeName === "IMG" && /^(cid|data):/i.test(node.getAttribute("src")?.trim() ?? "");

export function createTurndown(): TurndownService {
  const service = new TurndownService({ headingStyle: "atx", codeBlockStyle: "fenced", bulletListMarker: "-" });
  service.addRule("embeddedImage", {
    filter: (node) => isEmbeddedImage(node),
    replacement: (_content, node) => {
      const element = node as HTMLElement;
      return inlineImagePlaceholder(inlineImageName(element.getAttribute("src")?.trim() ?? "", element.getAttribute("alt")));
    },
  });
  return service;
}

/** What an embedded image leaves in the text when its file travels as an attachment of the same message. */
export function attachedImagePlaceholder(fileName: string): string {
  return `[inline image ${fileName} — attached to this message]`;
}

function attribute(tag: string, name: string): string | null {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(tag);
  return match ? (match[1] ?? match[2] ?? match[3] ?? "") : null;
}

/**
 * An HTML body for a target that keeps HTML (Teamwork Desk): each embedded image becomes its
 * placeholder, saying "attached" when the message carries that file as an attachment.
 */
export function replaceEmbeddedImages(html: string, attachedFileNames: ReadonlySet<string>): string {
  return html.replace(/<img\b[^>]*>/gi, (tag) => {
    const src = attribute(tag, "src")?.trim() ?? "";
    if (!/^(cid|data):/i.test(src)) return tag;
    const alt = attribute(tag, "alt");
    const name = inlineImageName(src, alt === null ? null : decodeHtmlEntities(alt));
    return escapeHtml(name !== null && attachedFileNames.has(name) ? attachedImagePlaceholder(name) : inlineImagePlaceholder(name));
  });
}
