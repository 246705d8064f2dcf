import type { Kysely } from "kysely";
import type { Role } from "../domain/roles.ts";
import { findUsableToken } from "../store/one-time-tokens.ts";
import type { Database } from "../store/schema.ts";

export type InviteView = {
  email: string;
  role: Role;
  campaignName: string;
  /** Whether the invited address already has an account (then one signs in rather than creating one). */
  accountExists: boolean;
};

/** What an invitation link offers, while it can still be accepted; undefined otherwise. */
export async function getInvite(
  db: Kysely<Database>,
  token: string,
  now: Date,
): Promise<InviteView | undefined> {
  const invite = await findUsableToken(db, "invite", token, now);
  if (!invite || invite.campaign_id === null || invite.email === null || invite.role === null)
    return undefined;
  const [campaign, account] = await Promise.all([
    db.selectFrom("campaigns").select("name").where("id", "=", invite.campaign_id).executeTakeFirst(),
    db.selectFrom("users").select("id").where("email", "=", invite.email).executeTakeFirst(),
  ]);
  if (!campaign) return undefined;
  return {
    email: invite.email,
    role: invite.role,
    campaignName: campaign.name,
    accountExists: account !== undefined,
  };
}
