import { pageTitle } from "@/app/_components/page-title";
import { requireOrgContext } from "@/lib/auth/session";
import { getTranslations } from "next-intl/server";
import { refusalText } from "@/app/_components/refusal";
import { Alert, PageHeader } from "@/app/_components/ui";
import { NewMigrationForm } from "./new-migration-form";

export const generateMetadata = pageTitle("newMigration");

export default async function NewMigrationPage() {
  const [refusal, t] = await Promise.all([refusalText(await requireOrgContext(), "migrations"), getTranslations("newMigration")]);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {refusal ? <Alert tone="info">{refusal}</Alert> : <NewMigrationForm />}
    </>
  );
}
