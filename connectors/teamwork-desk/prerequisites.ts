// ConnectorSession.prerequisites for Teamwork Desk as a target, from the migration guides (seed
// 003) and reference §5: the key is an administrator's; an inbox exists; every agent who receives
// records (mapped, or the fallback user) is an active, full-time agent; every planned custom
// field exists with a matching kind; no trigger is active in any inbox; and, with no API for it, a manual confirmation that
// email notifications are off.
//
// Triggers: "deactivate-triggers" deactivates exactly the active ones and returns their ids;
// "restore-triggers:<id,id…>" (or session.restoreTriggers(ids)) re-activates exactly those, so a
// trigger that was already off before the run stays off.
import type { HttpClient } from "@/connectors/shared/http-client";
import { coverageSummary, receivesFrom, uncoveredEvidence, userCoverage } from "@/connectors/shared/user-coverage";
import { ConnectorError } from "@/connectors/types";
import type {
  AccountInfo,
  AutomatedCheck,
  FixResult,
  ManualConfirmation,
  PlanForPrerequisites,
  PrerequisiteReport,
  SettingRestoreResult,
  SystemChange,
} from "@/connectors/types";
import { listAll } from "./api";
import { KIND_LABELS, expectedKindFor } from "./mappers/custom-fields";
import type { CustomFieldModel } from "./mappers/custom-fields";
import { customFieldFor } from "./mappers/tickets";
import { agentState } from "./mappers/people";
import { slug, text } from "./mappers/values";
import { DeskAgentInviteSchema, DeskTriggerSchema } from "./raw-schemas";
import type { DeskInbox, DeskTrigger, DeskUser } from "./raw-schemas";

import { DEACTIVATE_TRIGGERS_FIX } from "./manifest";

export { DEACTIVATE_TRIGGERS_FIX };
export const RESTORE_TRIGGERS_FIX_PREFIX = "restore-triggers:";

export type PrerequisiteDeps = {
  v2: HttpClient;
  verify: () => Promise<AccountInfo>;
  inboxes: () => Promise<DeskInbox[]>;
  users: () => Promise<DeskUser[]>;
  customFields: () => Promise<CustomFieldModel[]>;
};

function check(
  id: string,
  title: string,
  status: AutomatedCheck["status"],
  evidence: string[],
  blocking: boolean,
  fix?: AutomatedCheck["fix"],
): AutomatedCheck {
  return { id, title, status, evidence, blocking, ...(fix ? { fix } : {}) };
}

/** The key check, and whether the key works at all (if not, the other checks are skipped). */
async function apiKeyCheck(deps: PrerequisiteDeps): Promise<{ check: AutomatedCheck; usable: boolean }> {
  const title = "The API key works and belongs to an administrator";
  try {
    const account = await deps.verify();
    const who = `${account.userName}${account.userEmail ? ` (${account.userEmail})` : ""}`;
    if (account.isAdministrator)
      return { check: check("api-key", title, "pass", [`The key belongs to ${who}, an administrator of ${account.accountName}.`], true), usable: true };
    const evidence = `The key belongs to ${who}, whose role is ${account.permissionLevel}. Triggers, custom fields and every inbox need an administrator: generate a key while signed in as an administrator.`;
    return { check: check("api-key", title, "fail", [evidence], true), usable: true };
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    return { check: check("api-key", title, "fail", [error.message], true), usable: false };
  }
}

/** Runs one check; a check the key may not perform (403) fails with that reason instead of failing the report. */
async function guarded(id: string, title: string, run: () => Promise<AutomatedCheck>): Promise<AutomatedCheck> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof ConnectorError) || (error.code !== "PERMISSION_DENIED" && error.code !== "NOT_FOUND")) throw error;
    return check(id, title, "fail", [`Ferry could not check this: ${error.message}`], true);
  }
}

async function inboxCheck(deps: PrerequisiteDeps): Promise<AutomatedCheck> {
  const inboxes = await deps.inboxes();
  const title = "At least one inbox exists";
  if (inboxes.length > 0)
    return check("inbox", title, "pass", [`${inboxes.length} inbox(es): ${inboxes.map((inbox) => text(inbox.name) ?? inbox.id).join(", ")}.`], true);
  return check(
    "inbox",
    title,
    "fail",
    [
      "This Teamwork Desk site has no inbox, so imported tickets have nowhere to go. To create one:",
      "1. Sign in to Teamwork as an administrator and switch to Desk.",
      "2. Click your avatar in the top-right corner and open Settings.",
      "3. Open the Inboxes tab and click “Add inbox”.",
      "4. Give it a name and an email address, save, then run these checks again.",
    ],
    true,
  );
}

/** The agent's name and email for evidence ("Sandbox Owner (owner@…)"). */
function agentLabel(user: DeskUser | undefined, id: string): string {
  if (!user) return `agent ${id}`;
  const name = [text(user.firstName), text(user.lastName)].filter(Boolean).join(" ");
  const email = text(user.email);
  return name && email ? `${name} (${email})` : name || email || `agent ${id}`;
}

/**
 * §5.6: every agent who receives records (mapped to a source user, or the fallback user) is an
 * active, full-time agent of this site, and every source user is covered by one. Pending
 * invitations come from the agent invites (their `user` ref).
 */
async function agentCheck(deps: PrerequisiteDeps, plan: PlanForPrerequisites): Promise<AutomatedCheck> {
  const title = "Every user's records go to an active, full-time agent";
  if (plan.users.length === 0) return check("agents", title, "pass", ["The plan maps no users."], true);
  const users = new Map((await deps.users()).map((user) => [String(user.id), user]));
  const { items } = await listAll(deps.v2, "agentinvites");
  const invites = items.flatMap((item) => {
    const parsed = DeskAgentInviteSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
  // Only invitations still pending count; an accepted one may linger in the list [U].
  const pending = invites.filter((invite) => !/^(accepted|deleted|expired|declined|cancell?ed|revoked)$/i.test(invite.state ?? ""));
  const invitedIds = new Set(pending.map((invite) => String(invite.user?.id ?? "")));
  const coverage = userCoverage(plan);
  const describe = (id: string) => agentLabel(users.get(id), id);
  const evidence: string[] = [];
  for (const [id, entry] of coverage.receivers) {
    const user = users.get(id);
    const state = user ? agentState(user) : null;
    const who = `${describe(id)} (${receivesFrom(entry)})`;
    if (!user) evidence.push(`${who} is not an agent of this site any more. Choose another agent in step 6 (Mapping).`);
    else if (state === "invited" || state === "pending" || (state !== "active" && invitedIds.has(id)))
      evidence.push(
        `${who} has not accepted the invitation yet: they must open the invitation email and accept it (invitations expire after 24 hours; resend if needed), or choose another agent.`,
      );
    else if (state !== "active") evidence.push(`${who} is archived (no longer active). Reactivate them under People → Agents or choose another agent.`);
    else if (user.isPartTime)
      evidence.push(
        `${who} is a part-time agent: part-time agents can reply to only 10 tickets a month. Make them full-time under People → Agents, or choose another agent.`,
      );
  }
  const agents = [...users.values()].filter((user) => agentState(user) === "active").map((user) => ({ id: String(user.id), email: text(user.email) ?? null }));
  evidence.push(...uncoveredEvidence(coverage.uncovered, agents, "invite them under People → Agents → Invite agents and map them once they have accepted"));
  if (evidence.length === 0) return check("agents", title, "pass", [coverageSummary(coverage, plan.users.length, describe)], true);
  return check("agents", title, "fail", evidence, true);
}

/** §5.8: each planned ticket custom field, by key (`customfields.<id>`) or label, with a kind that holds its values. */
async function customFieldCheck(deps: PrerequisiteDeps, plan: PlanForPrerequisites): Promise<AutomatedCheck> {
  const title = "Every planned custom field exists with the right type";
  const planned = plan.customFields.filter((field) => field.objectType === "tickets");
  const others = plan.customFields.filter((field) => field.objectType !== "tickets");
  const evidence: string[] = [];
  let status: AutomatedCheck["status"] = "pass";
  if (others.length > 0) {
    status = "fail";
    evidence.push(
      `Teamwork Desk has custom fields on tickets only; these cannot be created: ${others.map((field) => `${field.label} (${field.objectType})`).join(", ")}. Map them to a ticket field or leave them out.`,
    );
  }
  if (planned.length === 0 && others.length === 0) return check("custom-fields", title, "pass", ["The plan needs no custom fields."], true);
  const fields = planned.length > 0 ? await deps.customFields() : [];
  for (const wanted of planned) {
    const expected = expectedKindFor(wanted.type);
    const found = customFieldFor(wanted.key, fields) ?? customFieldFor(wanted.label, fields);
    if (!found) {
      status = "fail";
      evidence.push(
        `Missing: “${wanted.label}” (${KIND_LABELS[expected.exact]}). Create it in Settings → Custom fields → Add field, with this name and type, enabled in the inboxes you migrate to.`,
      );
      continue;
    }
    if (found.kind === expected.exact) {
      const missingOptions = (wanted.options ?? []).filter(
        (option) => !found.options.some((existing) => slug(existing.name) === slug(option.label) || slug(existing.name) === slug(option.value)),
      );
      if (missingOptions.length > 0) {
        if (status === "pass") status = "warn";
        evidence.push(
          `“${found.label}” lacks these options: ${missingOptions.map((option) => option.label).join(", ")}. Tickets using them will fail until they are added.`,
        );
      } else {
        evidence.push(`“${found.label}” is a ${KIND_LABELS[found.kind]} field, as planned.`);
      }
    } else if (found.kind !== null && expected.compatible.includes(found.kind)) {
      if (status === "pass") status = "warn";
      evidence.push(
        `“${found.label}” is a ${KIND_LABELS[found.kind]} field; the plan expects ${KIND_LABELS[expected.exact]}. Values fit, but consider changing the field type.`,
      );
    } else {
      status = "fail";
      evidence.push(
        `“${found.label}” is a ${found.kind ? KIND_LABELS[found.kind] : found.nativeKind} field; the plan needs ${KIND_LABELS[expected.exact]}. Create a field of the right type (types cannot be changed once created).`,
      );
    }
  }
  return check("custom-fields", title, status, evidence, true);
}

/** §5.11: every trigger (GET /triggers.json); active ones fire on imported and updated tickets. */
export async function listTriggers(v2: HttpClient): Promise<DeskTrigger[]> {
  const { items } = await listAll(v2, "triggers");
  return items.flatMap((item) => {
    const parsed = DeskTriggerSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

async function triggerCheck(deps: PrerequisiteDeps): Promise<AutomatedCheck> {
  const title = "Every trigger in every inbox is inactive";
  const [triggers, inboxes] = [await listTriggers(deps.v2), await deps.inboxes()];
  const active = triggers.filter((trigger) => trigger.state === "active");
  if (active.length === 0) return check("triggers", title, "pass", [`No active trigger (${triggers.length} trigger(s) in total).`], true);
  const inboxName = (id: string) => text(inboxes.find((inbox) => String(inbox.id) === id)?.name) ?? `inbox ${id}`;
  const evidence = active.map((trigger) => {
    const names = (trigger.inboxes ?? []).map((ref) => inboxName(String(ref.id)));
    return `“${text(trigger.name) ?? trigger.id}” is active${names.length > 0 ? ` in ${names.join(", ")}` : ""}${trigger.isSystem ? " (system trigger)" : ""}.`;
  });
  evidence.push(
    "Active triggers may reassign, tag or auto-reply to migrated tickets. Ferry can deactivate them now and reactivate exactly these after the migration; or turn them off yourself in Settings → Inboxes → (each inbox) → Triggers.",
  );
  return check("triggers", title, "fail", evidence, true, {
    id: DEACTIVATE_TRIGGERS_FIX,
    label: `Deactivate ${active.length} active trigger(s) during the migration`,
  });
}

export function notificationsConfirmation(siteUrl: string): ManualConfirmation {
  return {
    id: "email-notifications-off",
    title: "Email notifications are turned off for the migration",
    steps: [
      "Teamwork Desk has no API for notification settings, so this step is yours. Every agent whose account receives notifications should do it (at least the administrator running the migration).",
      "In Teamwork Desk, click your avatar in the top-right corner and choose “View profile”.",
      "Open the Notifications section and untick every notification (a ticked box is blue; the “−” box in a section header turns the whole section off).",
      "Leave them off until the migration has finished, then turn back on the ones you want.",
    ],
    link: `${siteUrl}/desk/myprofile`,
  };
}

export async function checkPrerequisites(deps: PrerequisiteDeps, plan: PlanForPrerequisites, siteUrl: string): Promise<PrerequisiteReport> {
  const confirmations = [notificationsConfirmation(siteUrl)];
  const key = await apiKeyCheck(deps);
  // Without a working key the other checks cannot say anything useful.
  if (!key.usable) return { checks: [key.check], confirmations };
  const checks = [
    key.check,
    await guarded("inbox", "At least one inbox exists", () => inboxCheck(deps)),
    await guarded("agents", "Every mapped user is an active, full-time agent with the same email", () => agentCheck(deps, plan)),
    await guarded("custom-fields", "Every planned custom field exists with the right type", () => customFieldCheck(deps, plan)),
    await guarded("triggers", "Every trigger in every inbox is inactive", () => triggerCheck(deps)),
  ];
  return { checks, confirmations };
}

/** §5.11: toggles `state` with PATCH /triggers/{id}.json; returns the ids it changed. */
async function setTriggerStates(v2: HttpClient, ids: string[], state: "active" | "inactive"): Promise<string[]> {
  const changed: string[] = [];
  for (const id of ids) {
    try {
      await v2.request({ method: "PATCH", path: `/triggers/${encodeURIComponent(id)}.json`, body: { trigger: { state } } });
      changed.push(id);
    } catch (error) {
      if (!(error instanceof ConnectorError)) throw error;
      // A trigger deleted meanwhile is simply not changed; anything else stops here, reporting what was done.
      if (error.code === "NOT_FOUND") continue;
      if (changed.length === 0) throw error;
      break;
    }
  }
  return changed;
}

/** Deactivates every active trigger and reports each one it switched off as a restorable setting. */
export async function deactivateTriggers(v2: HttpClient): Promise<FixResult> {
  const active = (await listTriggers(v2)).filter((trigger) => trigger.state === "active");
  const changed = await setTriggerStates(
    v2,
    active.map((trigger) => String(trigger.id)),
    "inactive",
  );
  const names = new Map(active.map((trigger) => [String(trigger.id), text(trigger.name) ?? `trigger ${trigger.id}`]));
  const changes: SystemChange[] = changed.map((id) => ({
    kind: "setting",
    ref: id,
    label: `Switched off the trigger “${names.get(id)}”`,
    previous: { state: "active" },
  }));
  return { changed, changes };
}

const TRIGGER_STATES = new Set(["active", "inactive"]);

/**
 * §5.11: puts each trigger back in its `previous.state`, one PATCH per trigger that differs; a
 * trigger deleted meanwhile is "gone", one already in that state "unchanged", and a refusal fails
 * only that trigger.
 */
export async function restoreTriggerSettings(v2: HttpClient, changes: Pick<SystemChange, "ref" | "previous">[]): Promise<SettingRestoreResult[]> {
  const current = new Map((await listTriggers(v2)).map((trigger) => [String(trigger.id), trigger.state]));
  const results: SettingRestoreResult[] = [];
  for (const change of changes) {
    const wanted = change.previous?.state;
    if (typeof wanted !== "string" || !TRIGGER_STATES.has(wanted) || !/^\d+$/.test(change.ref)) {
      results.push({ ref: change.ref, status: "failed", message: "Ferry does not know how to restore this change." });
      continue;
    }
    if (!current.has(change.ref)) {
      results.push({ ref: change.ref, status: "gone", message: "The trigger no longer exists." });
      continue;
    }
    if (current.get(change.ref) === wanted) {
      results.push({ ref: change.ref, status: "unchanged" });
      continue;
    }
    try {
      await v2.request({ method: "PATCH", path: `/triggers/${encodeURIComponent(change.ref)}.json`, body: { trigger: { state: wanted } } });
      results.push({ ref: change.ref, status: "restored" });
    } catch (error) {
      if (!(error instanceof ConnectorError)) throw error;
      results.push(
        error.code === "NOT_FOUND"
          ? { ref: change.ref, status: "gone", message: "The trigger no longer exists." }
          : { ref: change.ref, status: "failed", message: error.message },
      );
    }
  }
  return results;
}

/** Re-activates exactly `ids` (those deactivate returned); ids currently active are left alone. */
export async function restoreTriggers(v2: HttpClient, ids: string[]): Promise<string[]> {
  const wanted = new Set(ids.map((id) => id.trim()).filter((id) => /^\d+$/.test(id)));
  if (wanted.size === 0) return [];
  const current = await listTriggers(v2);
  const toRestore = current.filter((trigger) => wanted.has(String(trigger.id)) && trigger.state === "inactive").map((trigger) => String(trigger.id));
  return setTriggerStates(v2, toRestore, "active");
}

export function parseRestoreFix(fixId: string): string[] | null {
  if (!fixId.startsWith(RESTORE_TRIGGERS_FIX_PREFIX)) return null;
  return fixId
    .slice(RESTORE_TRIGGERS_FIX_PREFIX.length)
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean);
}
