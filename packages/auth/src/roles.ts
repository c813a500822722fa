import type { Role } from '@triage/schemas';

/** A console user's role: the AuditEvent `Role` enum without its `unknown` reader default. */
export type UserRole = Exclude<Role, 'unknown'>;

// A record, not a list, so that a role added to the schema fails the typecheck until it is listed here.
const roleSet: Record<UserRole, true> = { analyst: true, supervisor: true, auditor: true, operator: true };

/** Every role a token may carry, in the schema's order. */
export const userRoles = Object.keys(roleSet) as readonly UserRole[];

export function isUserRole(value: unknown): value is UserRole {
  return typeof value === 'string' && Object.hasOwn(roleSet, value);
}
