// The locale of the request being rendered (see chooseLocale for the order).
import "server-only";
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { db } from "@/lib/db";
import { currentUserId } from "@/lib/auth/session";
import { chooseLocale, LOCALE_COOKIE, type Locale } from "./locale";

export const requestLocale = cache(async (): Promise<Locale> => {
  const [cookieStore, headerList, userId] = await Promise.all([cookies(), headers(), currentUserId()]);
  const user = userId ? await db().user.findUnique({ where: { id: userId }, select: { locale: true } }) : null;
  return chooseLocale({
    userLocale: user?.locale,
    cookieLocale: cookieStore.get(LOCALE_COOKIE)?.value,
    acceptLanguage: headerList.get("accept-language"),
  });
});
