// Roles and what they may change, per area. Everyone in an organization reads everything in it;
// a permission lets a member change one area. Code checks permissions, never role names.
// Staff access is a user flag (User.isStaff), not a permission: no role, built in or custom, grants it.
import { z } from "zod";
import { ForbiddenError } from "../errors";

export const PERMISSIONS = ["members", "connections", "migrations", "runs", "rollback"] as const;
export const permissionSchema = z.enum(PERMISSIONS, { error: "Choose among members, connections, migrations, runs and rollback." });
export type Permission = z.infer<typeof permissionSchema>;

/** What each permission lets a member do (the team page lists it), and what a refusal says cannot be done. */
export const PERMISSION_TEXT: Record<Permission, { label: string; allows: string; refused: string }> = {
  members: {
    label: "Members",
    allows: "invite, change roles, remove members, define roles, rename the organization, read the audit log",
    refused: "manage the members and roles of this organization",
  },
  connections: { label: "Connections", allows: "add and remove connections to systems", refused: "add or remove connections" },
  migrations: {
    label: "Migrations",
    allows:
      "create migrations and change their steps (connections chosen, objects, audit suggestions, fixes on the target, confirmations, mapping), restore settings",
    refused: "change migrations",
  },
  runs: { label: "Runs", allows: "start demo and full runs, pause, resume, cancel, retry failed records, delta runs", refused: "start or change runs" },
  rollback: {
    label: "Rollback and deletion",
    allows: "roll back runs, delete demo data, delete migrations",
    refused: "roll back runs or delete demo data or migrations",
  },
};

export const BUILT_IN_ROLES = {
  admin: { name: "Admin", permissions: [...PERMISSIONS] },
  operator: { name: "Operator", permissions: ["migrations", "runs"] },
  viewer: { name: "Viewer", permissions: [] },
} as const satisfies Record<string, { name: string; permissions: readonly Permission[] }>;

export const builtInRoleSchema = z.enum(["admin", "operator", "viewer"]);
export type BuiltInRole = z.infer<typeof builtInRoleSchema>;

/** The role a member holds: key is a built-in role's name or "custom:<CustomRole id>". */
export type RoleView = { key: string; name: string; permissions: readonly Permission[]; custom: boolean };

export const customRolePermissionsSchema = z
  .array(permissionSchema)
  .max(PERMISSIONS.length)
  .transform((list) => PERMISSIONS.filter((permission) => list.includes(permission)));

export function builtInRole(role: BuiltInRole): RoleView {
  return { key: role, name: BUILT_IN_ROLES[role].name, permissions: BUILT_IN_ROLES[role].permissions, custom: false };
}

/** A custom role's stored permissions; anything unreadable grants nothing. (Not lib/migration's parseJsonColumn: this file reaches the browser.) */
function storedPermissions(json: string): Permission[] {
  try {
    const parsed = customRolePermissionsSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** A membership's or invite's role as stored; anything unknown (a removed custom role) may change nothing. */
export function roleFromRow(row: { role: string; customRole?: { id: string; name: string; permissions: string } | null }): RoleView {
  const builtIn = builtInRoleSchema.safeParse(row.role);
  if (builtIn.success) return builtInRole(builtIn.data);
  if (row.role === "custom" && row.customRole) {
    return { key: `custom:${row.customRole.id}`, name: row.customRole.name, permissions: storedPermissions(row.customRole.permissions), custom: true };
  }
  return { key: "none", name: "No role", permissions: [], custom: false };
}

export function can(context: { role: RoleView }, permission: Permission): boolean {
  return context.role.permissions.includes(permission);
}

/** The one check every action that changes something makes before acting. */
export function requirePermission(context: { role: RoleView }, permission: Permission): void {
  if (can(context, permission)) return;
  throw new ForbiddenError(
    `Your role (${context.role.name}) cannot ${PERMISSION_TEXT[permission].refused}: that needs the ${PERMISSION_TEXT[permission].label} permission. Ask someone who manages members to change your role.`,
  );
}

/** Why a control is disabled, for the UI; null when the member may use it. */
export function refusalReason(context: { role: RoleView }, permission: Permission): string | null {
  return can(context, permission)
    ? null
    : `Your role (${context.role.name}) cannot ${PERMISSION_TEXT[permission].refused}: that needs the ${PERMISSION_TEXT[permission].label} permission. Ask someone who manages members.`;
}
