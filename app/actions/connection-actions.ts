"use server";

// lib/connections.ts parses the input with zod, checks the connections permission and records the change.
import { revalidatePath } from "next/cache";
import { db } from "@/lib/db";
import { runAction, type ActionResult } from "@/lib/action-result";
import { requireOrgContext } from "@/lib/auth/session";
import { createConnection, removeConnection } from "@/lib/connections";
import { actionText } from "@/lib/i18n/action-text";

export async function createConnectionAction(input: {
  systemId: string;
  label: string;
  credentials: Record<string, string>;
}): Promise<ActionResult<{ id: string }>> {
  return runAction(
    async () => {
      const created = await createConnection(db(), await requireOrgContext(), input);
      revalidatePath("/connections");
      return created;
    },
    await actionText("connectionAddedAndVerified"),
  );
}

export async function removeConnectionAction(connectionId: string): Promise<ActionResult> {
  return runAction(
    async () => {
      await removeConnection(db(), await requireOrgContext(), connectionId);
      revalidatePath("/connections");
    },
    await actionText("connectionRemoved"),
  );
}
