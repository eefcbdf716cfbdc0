"use server";

import { cookies } from "next/headers";
import { z } from "zod";
import { db } from "@/lib/db";
import { runAction, type ActionResult } from "@/lib/action-result";
import { currentUserId } from "@/lib/auth/session";
import { LOCALE_COOKIE, LOCALES } from "@/lib/i18n/locale";

const ONE_YEAR_S = 365 * 24 * 60 * 60;

/** The top bar's language switcher: saved on the account when signed in, and in a cookie (which sign-in pages read) either way. */
export async function setLocaleAction(input: unknown): Promise<ActionResult> {
  return runAction(async () => {
    const locale = z.enum(LOCALES).parse(input);
    const userId = await currentUserId();
    if (userId) await db().user.update({ where: { id: userId }, data: { locale } });
    (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", maxAge: ONE_YEAR_S, sameSite: "lax", httpOnly: true });
  });
}
