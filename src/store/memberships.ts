import type { Kysely } from "kysely";
import type { CampaignRoles, Role } from "../domain/roles.ts";
import type { Database } from "./schema.ts";

/*
 * Who belongs to which campaign, with which role (policies/policy.ts decides what each role may do there).
 * Owners act everywhere without a membership.
 */

/** A user's campaigns and roles, loaded with each console request so a change applies at once. */
export async function loadCampaignRoles(db: Kysely<Database>, userId: number): Promise<CampaignRoles> {
  const rows = await db
    .selectFrom("campaign_members")
    .select(["campaign_id", "role"])
    .where("user_id", "=", userId)
    .execute();
  return new Map(rows.map((r) => [r.campaign_id, r.role]));
}

/** The person's role in the campaign, or undefined when they are not a member of it. */
export async function memberRole(
  db: Kysely<Database>,
  campaignId: number,
  userId: number,
): Promise<Role | undefined> {
  const row = await db
    .selectFrom("campaign_members")
    .select("role")
    .where("campaign_id", "=", campaignId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row?.role;
}

/** Adds the person to the campaign, or changes their role there; returns the role they held before. */
export async function setMembership(
  db: Kysely<Database>,
  membership: { campaignId: number; userId: number; role: Role },
  now: Date,
): Promise<Role | undefined> {
  const before = await memberRole(db, membership.campaignId, membership.userId);
  if (before) {
    await db
      .updateTable("campaign_members")
      .set({ role: membership.role })
      .where("campaign_id", "=", membership.campaignId)
      .where("user_id", "=", membership.userId)
      .execute();
  } else {
    await db
      .insertInto("campaign_members")
      .values({
        campaign_id: membership.campaignId,
        user_id: membership.userId,
        role: membership.role,
        created_at: now.toISOString(),
      })
      .execute();
  }
  return before;
}

/** The campaign a letter belongs to (what decides who may act on it), or undefined for no such letter. */
export async function campaignOfLetter(db: Kysely<Database>, letterId: number): Promise<number | undefined> {
  const row = await db
    .selectFrom("letters")
    .select("campaign_id")
    .where("id", "=", letterId)
    .executeTakeFirst();
  return row?.campaign_id;
}
