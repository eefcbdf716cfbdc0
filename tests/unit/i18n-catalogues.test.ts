import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { connectors } from "@/connectors/registry";
import en from "@/messages/en.json" with { type: "json" };
import fr from "@/messages/fr.json" with { type: "json" };
import { chooseLocale, localeFromAcceptLanguage } from "@/lib/i18n/locale";
import { formatOffences, untranslatedIn, untranslatedStrings } from "@/lib/i18n/untranslated";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** "a.b.0" for every leaf; arrays by index, so a step missing in one language shows. */
function leafKeys(value: unknown, prefix = ""): string[] {
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, child]) => leafKeys(child, prefix ? `${prefix}.${key}` : key));
  }
  return [prefix];
}

function missingFrom(reference: unknown, other: unknown): string[] {
  const have = new Set(leafKeys(other));
  return leafKeys(reference).filter((key) => !have.has(key));
}

function emptyLeaves(value: unknown): string[] {
  return leafKeys(value).filter((key) => key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], value) === "");
}

describe("the catalogues", () => {
  it("have the same keys in English and French", () => {
    expect({ missingInFrench: missingFrom(en, fr), missingInEnglish: missingFrom(fr, en) }).toEqual({ missingInFrench: [], missingInEnglish: [] });
    expect([...emptyLeaves(en), ...emptyLeaves(fr)]).toEqual([]);
  });

  it("give every connector its own English and French strings with the same keys", () => {
    for (const [id, connector] of Object.entries(connectors)) {
      const messages = "messages" in connector ? connector.messages : undefined;
      expect(messages, `connectors/${id}/messages/{en,fr}.json`).toBeDefined();
      expect({ id, missingInFrench: missingFrom(messages?.en, messages?.fr), missingInEnglish: missingFrom(messages?.fr, messages?.en) }).toEqual({
        id,
        missingInFrench: [],
        missingInEnglish: [],
      });
    }
  });
});

describe("app/", () => {
  it("shows no user-visible string that is not in a catalogue", () => {
    const offences = untranslatedStrings(ROOT);
    // The list is the message: file:line and the text, ready to move into messages/*.json.
    expect(offences.length, `Untranslated strings in app/ (also: npm run i18n:untranslated):\n${formatOffences(offences)}`).toBe(0);
  });

  it("flags text between tags, visible attributes and rendered string branches, and nothing else", () => {
    const source = [
      'const columns = [{ header: "Status" }];',
      "export function A({ busy }: { busy: boolean }) {",
      '  return <div className="p-2" data-testid="x">',
      "    Hello there",
      '    <input placeholder="Your name" type="text" />',
      '    {busy ? "Saving…" : t("save")}',
      "    {count} · Ferry",
      "  </div>;",
      "}",
    ].join("\n");
    expect(untranslatedIn("a.tsx", source).map((offence) => `${offence.line} ${offence.text}`)).toEqual([
      "1 Status",
      "4 Hello there",
      "5 Your name",
      "6 Saving…",
    ]);
  });
});

describe("the locale", () => {
  it("is the user's setting, else the cookie, else the browser's language, else English", () => {
    expect(chooseLocale({ userLocale: "fr", cookieLocale: "en", acceptLanguage: "en" })).toBe("fr");
    expect(chooseLocale({ userLocale: null, cookieLocale: "fr", acceptLanguage: "en" })).toBe("fr");
    expect(chooseLocale({ userLocale: "de", cookieLocale: null, acceptLanguage: "de-CH, fr-CA;q=0.8, en;q=0.5" })).toBe("fr");
    expect(chooseLocale({ acceptLanguage: "de, es" })).toBe("en");
    expect(chooseLocale({})).toBe("en");
  });

  it("reads Accept-Language by weight, ignoring q=0", () => {
    expect(localeFromAcceptLanguage("en;q=0.4, fr;q=0.9")).toBe("fr");
    expect(localeFromAcceptLanguage("fr;q=0, en")).toBe("en");
    expect(localeFromAcceptLanguage("")).toBeNull();
  });
});

it("keeps the French help pages' words (messages/fr.json exists and is UTF-8)", () => {
  expect(fs.readFileSync(path.join(ROOT, "messages/fr.json"), "utf8")).not.toContain("\uFFFD");
});
