// Who receives each source user's records, as both connectors' user checks need it: a source
// user mapped to a target user is covered by that user, an unmapped one by the fallback user.
// The checks then look at the target users (members, agents), never at the source emails.
import type { PlanForPrerequisites, PlannedUser, UserRef } from "@/connectors/types";
import { normalizeEmail } from "./values";

export type UserCoverage = {
  /** Target user id → labels of the source users whose records it receives (mapped or by fallback). */
  receivers: Map<string, { mapped: string[]; byFallback: string[] }>;
  /** Source users with neither a target user nor a fallback user. */
  uncovered: PlannedUser[];
};

export function userCoverage(plan: Pick<PlanForPrerequisites, "users" | "fallbackUserId">): UserCoverage {
  const receivers: UserCoverage["receivers"] = new Map();
  const uncovered: PlannedUser[] = [];
  const receiver = (id: string) => {
    let entry = receivers.get(id);
    if (!entry) receivers.set(id, (entry = { mapped: [], byFallback: [] }));
    return entry;
  };
  for (const user of plan.users) {
    if (user.targetUserId) receiver(user.targetUserId).mapped.push(user.sourceLabel);
    else if (plan.fallbackUserId) receiver(plan.fallbackUserId).byFallback.push(user.sourceLabel);
    else uncovered.push(user);
  }
  return { receivers, uncovered };
}

/** "Tim Apple (tim@apple.dev)", or the id when the target no longer lists the user. */
export function describeTargetUser(user: UserRef | undefined, id: string): string {
  if (!user) return `user ${id}`;
  if (user.name && user.email) return `${user.name} (${user.email})`;
  return user.name ?? user.email ?? `user ${id}`;
}

/** What a receiving target user stands in for, in words ("mapped from Ann; fallback for Bob, Cy"). */
export function receivesFrom(entry: { mapped: string[]; byFallback: string[] }): string {
  const parts = [
    entry.mapped.length > 0 ? `mapped from ${entry.mapped.join(", ")}` : null,
    entry.byFallback.length > 0 ? `fallback user for ${entry.byFallback.join(", ")}` : null,
  ];
  return parts.filter(Boolean).join("; ");
}

/**
 * The sentences for source users nobody receives: what to do in the wizard. One whose email is a
 * target user's by now (invited after the plan was made) is named apart: choosing them is enough.
 */
export function uncoveredEvidence(uncovered: PlannedUser[], targetUsers: readonly UserRef[], inviteWhere: string): string[] {
  if (uncovered.length === 0) return [];
  const byEmail = new Map(targetUsers.filter((user) => user.email).map((user) => [normalizeEmail(user.email as string), user]));
  const joined = uncovered.filter((user) => user.sourceEmail && byEmail.has(normalizeEmail(user.sourceEmail)));
  const others = uncovered.filter((user) => !joined.includes(user)).map((user) => user.sourceLabel);
  return [
    ...(joined.length > 0
      ? [
          `${joined.map((user) => user.sourceLabel).join(", ")} ${joined.length === 1 ? "is a target user" : "are target users"} now but not chosen in the mapping: choose ${joined.length === 1 ? "them" : "each"} in step 6 (Mapping).`,
        ]
      : []),
    ...(others.length > 0
      ? [
          `No ${others.length === 1 ? "user receives the records" : "users receive the records"} of ${others.join(", ")}: in step 6 (Mapping), choose a target user for each or set a fallback user (agents who left usually go to the fallback user), or ${inviteWhere}.`,
        ]
      : []),
  ];
}

/** Pass evidence: how many source users go where. */
export function coverageSummary(coverage: UserCoverage, users: number, describe: (id: string) => string): string {
  const parts = [...coverage.receivers.entries()].map(([id, entry]) => `${describe(id)}: ${receivesFrom(entry)}`);
  return `The records of all ${users} user${users === 1 ? "" : "s"} go to ${coverage.receivers.size} target user${coverage.receivers.size === 1 ? "" : "s"}. ${parts.join(". ")}.`;
}
