import { pageTitle } from "@/app/_components/page-title";
import { getTranslations } from "next-intl/server";
import { db } from "@/lib/db";
import { requireOrgContext } from "@/lib/auth/session";
import { BUILT_IN_ROLES, builtInRole, can, PERMISSIONS } from "@/lib/auth/roles";
import { listCustomRoles } from "@/lib/custom-roles";
import { listTeam } from "@/lib/team";
import { PageHeader } from "@/app/_components/ui";
import { TeamView } from "./team-view";

export const generateMetadata = pageTitle("team");

export default async function TeamPage() {
  const context = await requireOrgContext();
  const [{ members, invites }, customRoles] = await Promise.all([listTeam(db(), context), listCustomRoles(db(), context)]);
  const canManage = can(context, "members");
  const [t, permissionText, builtInName] = await Promise.all([getTranslations("team"), getTranslations("permissions"), getTranslations("builtInRole")]);
  const builtIn = (Object.keys(BUILT_IN_ROLES) as (keyof typeof BUILT_IN_ROLES)[]).map((key) => ({
    ...builtInRole(key),
    name: builtInName(key),
    id: null,
    members: members.filter((member) => member.role.key === key).length,
  }));
  return (
    <>
      <PageHeader
        title={t("title")}
        description={
          canManage
            ? t("description", { organization: context.organization.name })
            : t("descriptionReadOnly", { organization: context.organization.name, role: context.role.name })
        }
      />
      <TeamView
        canManage={canManage}
        currentUserId={context.user.id}
        permissions={PERMISSIONS.map((permission) => ({
          key: permission,
          label: permissionText(`label.${permission}`),
          allows: permissionText(`allows.${permission}`),
        }))}
        roles={[...builtIn, ...customRoles].map((role) => ({
          id: role.id,
          key: role.key,
          name: role.name,
          permissions: [...role.permissions],
          custom: role.custom,
          members: role.members,
        }))}
        members={members.map((member) => ({
          id: member.id,
          role: member.role.key,
          roleName: member.role.name,
          joinedAt: member.createdAt.toISOString(),
          userId: member.user.id,
          name: member.user.name,
          email: member.user.email,
        }))}
        invites={invites.map((invite) => ({
          id: invite.id,
          email: invite.email,
          roleName: invite.role.name,
          expiresAt: invite.expiresAt.toISOString(),
          invitedBy: invite.createdBy.name,
        }))}
      />
    </>
  );
}
