import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentUserId } from "@/lib/auth/session";
import { NewOrganizationForm } from "./new-organization-form";

export const metadata: Metadata = { title: "New organization" };

export default async function NewOrganizationPage() {
  if (!(await currentUserId())) redirect("/sign-in?callbackUrl=/organizations/new");
  return <NewOrganizationForm />;
}
