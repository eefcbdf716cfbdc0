import type { Metadata } from "next";
import { requireOrgContext } from "@/lib/auth/session";
import { refusalReason } from "@/lib/auth/roles";
import { Alert, PageHeader } from "@/app/_components/ui";
import { NewMigrationForm } from "./new-migration-form";

export const metadata: Metadata = { title: "New migration" };

export default async function NewMigrationPage() {
  const refusal = refusalReason(await requireOrgContext(), "migrations");
  return (
    <>
      <PageHeader title="New migration" description="Name it; the wizard saves every step, so you can leave and come back." />
      {refusal ? <Alert tone="info">{refusal}</Alert> : <NewMigrationForm />}
    </>
  );
}
