import { pageTitle } from "@/app/_components/page-title";
import { redirect } from "next/navigation";
import { currentUserId } from "@/lib/auth/session";
import { SignUpForm } from "./sign-up-form";

export const generateMetadata = pageTitle("createAnAccount");

export default async function SignUpPage() {
  if (await currentUserId()) redirect("/migrations");
  return <SignUpForm />;
}
