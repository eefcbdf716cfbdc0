import { z } from "zod";

export const roleSchema = z.enum(["admin", "member"]);
export type Role = z.infer<typeof roleSchema>;

/** What each role may do in its organization. Members see everything; admins change who and what. */
const PERMISSIONS = {
  "connections:manage": ["admin"],
  "members:manage": ["admin"],
  "migrations:run": ["admin", "member"],
  /** What deletes records or changes a live system: rollback, restoring settings, deleting a migration. */
  "migrations:manage": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
