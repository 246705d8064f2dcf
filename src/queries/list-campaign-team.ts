import type { Kysely } from "kysely";
import type { Role } from "../domain/roles.ts";
import type { Database } from "../store/schema.ts";

export type TeamMember = {
  userId: number;
  name: string;
  email: string;
  role: Role;
  totpEnabled: boolean;
  disabled: boolean;
  since: string;
};

export type PendingInvite = { id: number; email: string; role: Role; createdAt: string; expiresAt: string };

/** A campaign's members (by name) and its invitations that can still be accepted (newest first). */
export async function listCampaignTeam(
  db: Kysely<Database>,
  campaignId: number,
  now: Date,
): Promise<{ members: TeamMember[]; invites: PendingInvite[] }> {
  const [members, invites] = await Promise.all([
    db
      .selectFrom("campaign_members")
      .innerJoin("users", "users.id", "campaign_members.user_id")
      .select([
        "users.id",
        "users.name",
        "users.email",
        "users.totp_enabled_at",
        "users.disabled_at",
        "campaign_members.role",
        "campaign_members.created_at",
      ])
      .where("campaign_members.campaign_id", "=", campaignId)
      .orderBy("users.name")
      .orderBy("users.id")
      .execute(),
    db
      .selectFrom("one_time_tokens")
      .select(["id", "email", "role", "created_at", "expires_at"])
      .where("purpose", "=", "invite")
      .where("campaign_id", "=", campaignId)
      .where("used_at", "is", null)
      .where("expires_at", ">", now.toISOString())
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .execute(),
  ]);
  return {
    members: members.map((m) => ({
      userId: m.id,
      name: m.name,
      email: m.email,
      role: m.role,
      totpEnabled: m.totp_enabled_at !== null,
      disabled: m.disabled_at !== null,
      since: m.created_at,
    })),
    invites: invites.map((i) => ({
      id: i.id,
      email: i.email ?? "",
      role: i.role ?? "reviewer",
      createdAt: i.created_at,
      expiresAt: i.expires_at,
    })),
  };
}
