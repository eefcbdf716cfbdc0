// What a server action tells the user, in their language (messages: "actions"). Built with the
// request's locale directly rather than next-intl's getTranslations, so it reads the same in an
// action called outside a rendered request (the integration tests call actions as functions).
import "server-only";
import { createTranslator } from "next-intl";
import { appMessages, type AppMessages } from "./catalogue";
import { requestLocale } from "./request-locale";

export type ActionTextKey = keyof AppMessages["actions"];

export async function actionText(key: ActionTextKey, values?: Record<string, string | number>): Promise<string> {
  const locale = await requestLocale();
  return createTranslator({ locale, messages: appMessages(locale), namespace: "actions" })(key, values);
}
