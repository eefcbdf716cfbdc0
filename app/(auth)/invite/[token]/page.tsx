import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/lib/db";
import { currentUserId } from "@/lib/auth/session";
import { UserFacingError } from "@/lib/errors";
import { viewInvite, type InviteView } from "@/lib/team";
import { Alert } from "@/app/_components/ui";
import { SignUpForm } from "../../sign-up/sign-up-form";
import { AcceptInvite } from "./accept-invite";

export const metadata: Metadata = { title: "Invitation" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let invite: InviteView;
  try {
    invite = await viewInvite(db(), token);
  } catch (error) {
    if (!(error instanceof UserFacingError)) throw error;
    return (
      <div className="space-y-4">
        <h1 className="text-base font-semibold">This invite cannot be used</h1>
        <Alert tone="error">{error.message}</Alert>
        <Link href="/sign-in" className="text-sm font-medium text-indigo-700 hover:underline">
          Go to sign in
        </Link>
      </div>
    );
  }
  const signedIn = !!(await currentUserId());
  if (!signedIn) return <SignUpForm invite={{ token, email: invite.email, organizationName: invite.organizationName }} />;
  return (
    <div className="space-y-4">
      <h1 className="text-base font-semibold">Join {invite.organizationName}</h1>
      <p className="text-sm text-slate-600">
        You are invited as <strong>{invite.role.name}</strong> ({invite.email}). The invite expires on {invite.expiresAt.toUTCString()}.
      </p>
      <AcceptInvite token={token} organizationName={invite.organizationName} />
    </div>
  );
}
