import { describe, expect, it } from "vitest";
import { inlineImageName, inlineImagePlaceholder, replaceEmbeddedImages } from "@/connectors/shared/html-markdown";
import { toMarkdown } from "@/connectors/twenty/mappers/rich-text";
import { htmlToText } from "@/lib/mapping/transform-value";

describe("inline images in HTML bodies", () => {
  it.each([
    // The Sample's Outlook-style message (connectors/sample/generate.ts).
    [
      '<p>It broke again.</p><p><img src="cid:image001.png@01DA2F3C.5B1E2A40" alt="image001.png" width="320"></p>',
      "It broke again.\n\n[inline image image001.png — not migrated; see the original message]",
    ],
    ['<p>See <img src="cid:screenshot%20one.jpg@01D0"> above</p>', "See [inline image screenshot one.jpg — not migrated; see the original message] above"],
    ['<p><img src="CID:logo.gif"></p>', "[inline image logo.gif — not migrated; see the original message]"],
    ['<p><img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUg" alt="chart.png"></p>', "[inline image chart.png — not migrated; see the original message]"],
    ['<p><img src="data:image/png;base64,iVBORw0KGgo"></p>', "[inline image — not migrated; see the original message]"],
    // An image on the web still works where it lands: kept as a Markdown image.
    ['<p><img src="https://cdn.example.com/logo.png" alt="Logo"></p>', "![Logo](https://cdn.example.com/logo.png)"],
  ])("%s → %s (rich text)", (html, markdown) => {
    expect(toMarkdown(html)).toBe(markdown);
  });

  it.each([
    [
      '<p>Hello</p><p><img src="cid:image001.png@01DA2F3C.5B1E2A40" alt="image001.png"></p>',
      "Hello\n\n[inline image image001.png — not migrated; see the original message]",
    ],
    ['<div>Photo: <img src="cid:IMG_0042.HEIC@x"></div>', "Photo: [inline image IMG_0042.HEIC — not migrated; see the original message]"],
  ])("%s → %s (plain text)", (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it.each([
    ["cid:image001.png@01DA2F3C.5B1E2A40", null, "image001.png"],
    ["cid:image001.png@01DA2F3C.5B1E2A40", "  Screenshot  ", "Screenshot"],
    ["cid:@01DA", null, null],
    ["cid:bad%E0%A4%A.png@x", null, "bad%E0%A4%A.png"],
    ["data:image/png;base64,AAAA", null, null],
  ])("names %s (alt %s) %s", (src, alt, name) => {
    expect(inlineImageName(src, alt)).toBe(name);
  });

  it("says what happened and names the file", () => {
    expect(inlineImagePlaceholder("image001.png")).toBe("[inline image image001.png — not migrated; see the original message]");
    expect(inlineImagePlaceholder(null)).toBe("[inline image — not migrated; see the original message]");
  });

  it.each([
    ['<p>x</p><img src="cid:image001.png@01DA" alt="image001.png">', ["image001.png"], "<p>x</p>[inline image image001.png — attached to this message]"],
    ["<p><IMG SRC='cid:chart.gif@1'></p>", [], "<p>[inline image chart.gif — not migrated; see the original message]</p>"],
    ['<img alt="Q&amp;A &lt;1&gt;.png" src="data:image/png;base64,AAAA">', [], "[inline image Q&amp;A &lt;1&gt;.png — not migrated; see the original message]"],
    ['<img src="https://cdn.example.com/logo.png" alt="Logo">', ["logo.png"], '<img src="https://cdn.example.com/logo.png" alt="Logo">'],
  ])("keeps HTML for HTML targets: %s with files %j → %s", (html, attached, expected) => {
    expect(replaceEmbeddedImages(html, new Set(attached))).toBe(expected);
  });
});
