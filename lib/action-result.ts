// Server actions return this shape, so a form can show each error next to its field.
import { ZodError } from "zod";
import { UserFacingError } from "./errors";

export type ActionResult<T = void> = { ok: true; data?: T; message?: string } | { ok: false; error: string; fieldErrors?: Record<string, string> };

export async function runAction<T>(work: () => Promise<T>, successMessage?: string): Promise<ActionResult<T>> {
  try {
    const data = await work();
    return { ok: true, data, message: successMessage };
  } catch (error) {
    return toActionError(error);
  }
}

export function toActionError(error: unknown): { ok: false; error: string; fieldErrors?: Record<string, string> } {
  if (error instanceof ZodError) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of error.issues) {
      const key = issue.path.join(".") || "form";
      fieldErrors[key] ??= issue.message;
    }
    return { ok: false, error: "Please correct the highlighted fields.", fieldErrors };
  }
  if (error instanceof UserFacingError) {
    return { ok: false, error: error.message, fieldErrors: error.field ? { [error.field]: error.message } : undefined };
  }
  // Next's redirect() and notFound() work by throwing; they must pass through.
  if (error instanceof Error && "digest" in error && typeof error.digest === "string" && error.digest.startsWith("NEXT_")) throw error;
  console.error("Unexpected error in a server action:", error instanceof Error ? error.message : "unknown");
  return { ok: false, error: "Something went wrong on our side. Try again; if it keeps happening, contact support." };
}

export function formValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) if (typeof value === "string") values[key] = value;
  return values;
}
