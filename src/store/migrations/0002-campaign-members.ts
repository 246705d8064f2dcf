import { type Kysely, sql } from "kysely";

/*
 * Roles become per campaign (policies/policy.ts). Before this, a coordinator or reviewer acted in every
 * campaign by their account role alone; so that nobody loses access on upgrade, each existing non-owner
 * account becomes a member of each existing campaign with that same role. Owners need no membership.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving typed schema.
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.createIndex("campaign_members_user").on("campaign_members").column("user_id").execute();
  const at = new Date().toISOString();
  await sql`
    insert into campaign_members (campaign_id, user_id, role, created_at)
    select campaigns.id, users.id, users.role, ${at}
    from campaigns cross join users
    where users.role <> 'owner'
      and not exists (
        select 1 from campaign_members m where m.campaign_id = campaigns.id and m.user_id = users.id
      )
  `.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex("campaign_members_user").execute();
}
