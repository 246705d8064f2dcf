/*
 * Roles, as an account holds one (`users.role`) and as a person holds one in each campaign
 * (`campaign_members.role`). What each role may do is decided in one place: policies/policy.ts.
 */
export type Role = "owner" | "coordinator" | "reviewer";

/** The roles a campaign's team members can be given; owners are owners of the whole server. */
export const CAMPAIGN_ROLES = ["coordinator", "reviewer"] as const;
export type CampaignRole = (typeof CAMPAIGN_ROLES)[number];

/** A campaign's id → the person's role in it. */
export type CampaignRoles = ReadonlyMap<number, Role>;
