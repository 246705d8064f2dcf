import { AppError } from "../domain/app-error.ts";
import { type Actor, auditActor, authorise } from "../policies/actor.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { letterChanged } from "../store/letter-changes.ts";

export type RemoveStanceInput = { actor: Actor; campaignId: number; stanceId: number };

/**
 * Removes a stance of a campaign, untagging it from every recipient of every letter of the campaign
 * (recipient_stances goes with it). Every letter whose public tracker showed it is marked changed. Returns how
 * many recipients carried it, which the confirmation page announced beforehand.
 */
export async function removeStance(
  deps: Pick<CommandDeps, "store">,
  input: RemoveStanceInput,
  now: Date,
): Promise<{ untagged: number; letterIds: number[] }> {
  authorise(input.actor, "recipients.manage", input.campaignId);
  const { db, dialect } = deps.store;
  const result = await db.transaction().execute(async (trx) => {
    // Locked on PostgreSQL: a recipient tagged with it meanwhile waits, then finds it gone, so no letter
    // keeps a tag this command did not count.
    const stance = await trx
      .selectFrom("stances")
      .select(["id", "campaign_id", "label"])
      .where("id", "=", input.stanceId)
      .where("campaign_id", "=", input.campaignId)
      .$if(dialect === "postgres", (q) => q.forUpdate())
      .executeTakeFirst();
    if (!stance) throw new AppError("not_found");
    const tagged = await trx
      .selectFrom("recipient_stances")
      .innerJoin("recipients", "recipients.id", "recipient_stances.recipient_id")
      .select(["recipient_stances.recipient_id", "recipients.letter_id"])
      .where("recipient_stances.stance_id", "=", stance.id)
      .execute();
    const letterIds = [...new Set(tagged.map((t) => t.letter_id))].sort((a, b) => a - b);
    // ON DELETE CASCADE would untag them too; said here so the command reads as what it does.
    await trx.deleteFrom("recipient_stances").where("stance_id", "=", stance.id).execute();
    await trx.deleteFrom("stances").where("id", "=", stance.id).execute();
    await recordAudit(
      trx,
      {
        actor: auditActor(input.actor),
        action: "stance.remove",
        subjectType: "stance",
        subjectId: stance.id,
        campaignId: stance.campaign_id,
        detail: { label: stance.label, recipients: tagged.length, letters: letterIds.length },
      },
      now,
    );
    return { untagged: tagged.length, letterIds };
  });
  // The trackers that showed the stance no longer do.
  for (const letterId of result.letterIds) letterChanged(letterId);
  return result;
}
