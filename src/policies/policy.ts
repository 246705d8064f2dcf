import type { Role } from "../store/schema.ts";

/*
 * Who may do what: the one place that decides it. Routes and commands ask `can(user, action)` and never
 * compare roles themselves, so widening or narrowing a role is a one-line change here, checked by
 * policy.test.ts.
 *
 * - owner: runs the server; the only role that manages accounts and settings and reads the local mailbox
 *   (it holds other people's password-reset links, so reading it would let one take over their accounts).
 * - coordinator: runs campaigns and letters end to end.
 * - reviewer: helps moderate endorsements; reads, but changes nothing else.
 */
const PERMISSIONS = {
  "console.view": ["owner", "coordinator", "reviewer"],
  "mailbox.read": ["owner"],
  "users.manage": ["owner"],
  "settings.edit": ["owner"],
  "audit.read": ["owner", "coordinator"],
  "campaign.edit": ["owner", "coordinator"],
  "letter.edit": ["owner", "coordinator"],
  "letter.publish": ["owner", "coordinator"],
  "signature.review": ["owner", "coordinator", "reviewer"],
  // Changing what an endorsement says (corrections, merges) or bringing many in or out (import, export)
  // goes beyond moderation: coordinators and owners only.
  "signature.edit": ["owner", "coordinator"],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof PERMISSIONS;

export const ACTIONS = Object.keys(PERMISSIONS) as Action[];

export function can(user: { role: Role } | undefined, action: Action): boolean {
  return user !== undefined && (PERMISSIONS[action] as readonly Role[]).includes(user.role);
}
