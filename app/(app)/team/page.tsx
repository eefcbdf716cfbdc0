import type { Metadata } from "next";
import { db } from "@/lib/db";
import { requireOrgContext } from "@/lib/auth/session";
import { can } from "@/lib/auth/roles";
import { listTeam } from "@/lib/team";
import { PageHeader } from "@/app/_components/ui";
import { TeamView } from "./team-view";

export const metadata: Metadata = { title: "Team" };

export default async function TeamPage() {
  const context = await requireOrgContext();
  const { members, invites } = await listTeam(db(), context);
  const canManage = can(context.role, "members:manage");
  return (
    <>
      <PageHeader
        title="Team"
        description={
          canManage
            ? `Invite teammates to ${context.organization.name}. Admins manage connections and members; members see and run migrations.`
            : `People in ${context.organization.name}. Only admins invite or remove members.`
        }
      />
      <TeamView
        canManage={canManage}
        currentUserId={context.user.id}
        members={members.map((member) => ({ id: member.id, role: member.role, joinedAt: member.createdAt.toISOString(), userId: member.user.id, name: member.user.name, email: member.user.email }))}
        invites={invites.map((invite) => ({ id: invite.id, email: invite.email, role: invite.role, expiresAt: invite.expiresAt.toISOString(), invitedBy: invite.createdBy.name }))}
      />
    </>
  );
}
