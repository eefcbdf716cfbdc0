// next-intl's per-request configuration (found by the plugin in next.config.ts): no locale in the
// URL; the locale comes from the user's choice or their browser (lib/i18n/locale.ts).
import { getRequestConfig } from "next-intl/server";
import { messagesFor } from "@/lib/i18n/catalogue";
import { requestLocale } from "@/lib/i18n/request-locale";

export default getRequestConfig(async () => {
  const locale = await requestLocale();
  return { locale, messages: messagesFor(locale) };
});
