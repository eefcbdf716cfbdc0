// Users matched by email between the two systems.
import type { UserRef } from "@/connectors/types";
import type { UserMapping } from "./schema";

/** Source users matched to target users by case-insensitive email; unmatched ones get null (the fallback user applies). */
export function matchUsers(sourceUsers: readonly UserRef[], targetUsers: readonly UserRef[]): UserMapping[] {
  const byEmail = new Map(targetUsers.filter((user) => user.email).map((user) => [(user.email as string).trim().toLowerCase(), user.id]));
  const seen = new Set<string>();
  const mappings: UserMapping[] = [];
  for (const user of sourceUsers) {
    if (seen.has(user.id)) continue;
    seen.add(user.id);
    mappings.push({
      sourceUserId: user.id,
      sourceEmail: user.email,
      ...(user.name ? { sourceName: user.name } : {}),
      targetUserId: user.email ? (byEmail.get(user.email.trim().toLowerCase()) ?? null) : null,
    });
  }
  return mappings;
}
