import type { CampaignRoles, Role } from "../domain/roles.ts";

/*
 * Who may do what: the one place that decides it. Routes and commands ask `can(...)` and never compare
 * roles themselves, so widening or narrowing a role is a one-line change here, checked by policy.test.ts.
 *
 * Two kinds of action:
 * - server actions concern the whole server and are decided by the account's role (`users.role`);
 * - campaign actions concern one campaign's letters, endorsements, team and audit entries and are decided
 *   by the person's role in that campaign (`campaign_members.role`), so a coordinator of campaign A can do
 *   nothing in campaign B. The type of `can` makes the campaign a required argument for these.
 *
 * Roles:
 * - owner (account role): runs the server; may do everything in every campaign without a membership, and
 *   is the only one who manages accounts and settings and reads the local mailbox (it holds other people's
 *   password-reset links, so reading it would let one take over their accounts).
 * - coordinator: in a campaign, runs its letters end to end and manages its team. As an account role it
 *   only means "may start a new campaign" (becoming its coordinator).
 * - reviewer: in a campaign, moderates endorsements; reads, but changes nothing else. As an account role
 *   it grants nothing beyond opening the console.
 */
const SERVER_PERMISSIONS = {
  "console.view": ["owner", "coordinator", "reviewer"],
  "mailbox.read": ["owner"],
  "users.manage": ["owner"],
  "settings.edit": ["owner"],
  "campaign.create": ["owner", "coordinator"],
} as const satisfies Record<string, readonly Role[]>;

const CAMPAIGN_PERMISSIONS = {
  "campaign.view": ["owner", "coordinator", "reviewer"],
  "campaign.edit": ["owner", "coordinator"],
  // The coalition key decides who can open undisclosed endorsements, so no single coordinator gives a
  // campaign its key: owners (and the command line, run on the server) set it at once; a coordinator only
  // proposes one, which takes effect when a second person, not the proposer, confirms its fingerprint.
  "campaign.key.set": ["owner"],
  "campaign.key.propose": ["owner", "coordinator"],
  "campaign.key.confirm": ["owner", "coordinator"],
  "team.manage": ["owner", "coordinator"],
  "audit.read": ["owner", "coordinator"],
  "letter.edit": ["owner", "coordinator"],
  "letter.publish": ["owner", "coordinator"],
  "signature.review": ["owner", "coordinator", "reviewer"],
  // Changing what an endorsement says (corrections, merges) or bringing many in or out (import, export)
  // goes beyond moderation: coordinators and owners only.
  "signature.edit": ["owner", "coordinator"],
  // Recipients, deliveries, responses and stances: who the letter goes to and what they answered.
  "recipients.manage": ["owner", "coordinator"],
  "letter.deliver": ["owner", "coordinator"],
} as const satisfies Record<string, readonly Role[]>;

export type ServerAction = keyof typeof SERVER_PERMISSIONS;
export type CampaignAction = keyof typeof CAMPAIGN_PERMISSIONS;
export type Action = ServerAction | CampaignAction;

export const SERVER_ACTIONS = Object.keys(SERVER_PERMISSIONS) as ServerAction[];
export const CAMPAIGN_ACTIONS = Object.keys(CAMPAIGN_PERMISSIONS) as CampaignAction[];

/** Whoever asks: a signed-in user (memberships loaded with the session) or a command's actor. */
export type Subject = { role: Role; campaigns: CampaignRoles };

export function isCampaignAction(action: Action): action is CampaignAction {
  return Object.hasOwn(CAMPAIGN_PERMISSIONS, action);
}

export function can(subject: Subject | undefined, action: ServerAction): boolean;
export function can(subject: Subject | undefined, action: CampaignAction, campaignId: number): boolean;
export function can(subject: Subject | undefined, action: Action, campaignId?: number): boolean {
  if (subject === undefined) return false;
  if (!isCampaignAction(action))
    return (SERVER_PERMISSIONS[action] as readonly Role[]).includes(subject.role);
  if (subject.role === "owner") return true;
  // A campaign action asked without a campaign (a call site that forgot it) is refused, never widened.
  const role = campaignId === undefined ? undefined : subject.campaigns.get(campaignId);
  return role !== undefined && (CAMPAIGN_PERMISSIONS[action] as readonly Role[]).includes(role);
}

/** The campaigns in which the subject may take the action: "all" for owners, else the ids. */
export function campaignsWhere(subject: Subject | undefined, action: CampaignAction): "all" | number[] {
  if (subject === undefined) return [];
  if (subject.role === "owner") return "all";
  return [...subject.campaigns.keys()].filter((id) => can(subject, action, id));
}

/** Whether the subject may take the action in at least one campaign (to show a link to a page that lists them). */
export function canSomewhere(subject: Subject | undefined, action: CampaignAction): boolean {
  const where = campaignsWhere(subject, action);
  return where === "all" || where.length > 0;
}
