// What a server action tells the user, in their language (messages: "actions"). Not a "use server"
// module: only the actions call it, on the server.
import "server-only";
import { getTranslations } from "next-intl/server";
import type { AppMessages } from "@/lib/i18n/catalogue";

export type ActionTextKey = keyof AppMessages["actions"];

export async function actionText(key: ActionTextKey, values?: Record<string, string | number>): Promise<string> {
  const t = await getTranslations("actions");
  return t(key, values);
}
