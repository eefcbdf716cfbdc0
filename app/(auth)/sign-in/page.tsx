import { pageTitle } from "@/app/_components/page-title";
import { redirect } from "next/navigation";
import { currentUserId } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { safeCallbackUrl } from "@/lib/safe-callback-url";
import { SignInForm } from "./sign-in-form";

export const generateMetadata = pageTitle("signIn");

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const callbackUrl = safeCallbackUrl((await searchParams).callbackUrl, env().NEXTAUTH_URL);
  if (await currentUserId()) redirect(callbackUrl);
  return <SignInForm callbackUrl={callbackUrl} />;
}
