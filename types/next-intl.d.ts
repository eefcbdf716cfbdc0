// Type-checked message keys: `t("missing.key")` fails `npm run typecheck`.
import type { Locale } from "@/lib/i18n/locale";
import type { messagesFor } from "@/lib/i18n/catalogue";

declare module "next-intl" {
  interface AppConfig {
    Locale: Locale;
    Messages: ReturnType<typeof messagesFor>;
  }
}
