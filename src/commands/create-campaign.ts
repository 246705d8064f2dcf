import { AppError } from "../domain/app-error.ts";
import { type Actor, auditActor, authorise } from "../policies/actor.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { setMembership } from "../store/memberships.ts";

export type CreateCampaignInput = { actor: Actor; slug: string; name: string; description: string };

/**
 * Creates a campaign (a series of letters on one cause). A slug already in use is a field error. Whoever
 * creates it, unless an owner (who acts everywhere anyway), becomes its coordinator.
 */
export async function createCampaign(
  deps: Pick<CommandDeps, "store">,
  input: CreateCampaignInput,
  now: Date,
): Promise<{ id: number; slug: string }> {
  authorise(input.actor, "campaign.create");
  const at = now.toISOString();
  return deps.store.db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom("campaigns")
      .select("id")
      .where("slug", "=", input.slug)
      .executeTakeFirst();
    if (taken) throw new AppError("validation", {}, { slug: "letters.slugTaken" });
    const { id } = await trx
      .insertInto("campaigns")
      .values({
        slug: input.slug,
        name: input.name,
        description: input.description,
        public_key: null,
        demo_key: 0,
        require_totp: 0,
        created_at: at,
        updated_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (input.actor !== "cli" && input.actor.role !== "owner")
      await setMembership(trx, { campaignId: id, userId: input.actor.userId, role: "coordinator" }, now);
    await recordAudit(
      trx,
      {
        actor: auditActor(input.actor),
        action: "campaign.create",
        subjectType: "campaign",
        subjectId: id,
        campaignId: id,
        detail: { slug: input.slug },
      },
      now,
    );
    return { id, slug: input.slug };
  });
}
