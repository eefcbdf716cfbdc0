import { pageTitle } from "@/app/_components/page-title";
import { redirect } from "next/navigation";
import { currentUserId } from "@/lib/auth/session";
import { NewOrganizationForm } from "./new-organization-form";

export const generateMetadata = pageTitle("newOrganization");

export default async function NewOrganizationPage() {
  if (!(await currentUserId())) redirect("/sign-in?callbackUrl=/organizations/new");
  return <NewOrganizationForm />;
}
