// A page's <title> in the reader's language: `export const generateMetadata = pageTitle("signIn")`.
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import type { AppMessages } from "@/lib/i18n/catalogue";

export function pageTitle(page: keyof AppMessages["titles"]): () => Promise<Metadata> {
  return async () => {
    const t = await getTranslations("titles");
    return { title: t(page) };
  };
}
