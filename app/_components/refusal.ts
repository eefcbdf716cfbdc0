// Server pages' counterpart of useRefusal: why the member's role may not do something, in their language.
import "server-only";
import { getTranslations } from "next-intl/server";
import { refusalReason, type Permission } from "@/lib/auth/roles";
import type { OrgContext } from "@/lib/team";

export async function refusalText(context: Pick<OrgContext, "role">, permission: Permission): Promise<string | null> {
  if (!refusalReason(context, permission)) return null;
  const t = await getTranslations("permissions");
  return t("refused", { role: context.role.name, action: t(`refusedAction.${permission}`), permission: t(`label.${permission}`) });
}
