import { z } from "zod";
import { AppError } from "../domain/app-error.ts";
import type { Actor } from "../policies/actor.ts";
import { auditOnLetter } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { letterChanged } from "../store/letter-changes.ts";
import { authoriseForLetter, letterForUpdate, recipientOf } from "../store/recipient-rows.ts";

export type TagRecipientStanceInput = {
  actor: Actor;
  letterId: number;
  recipientId: number;
  /** The stances the recipient holds from now on (the campaign's own); the others are removed. */
  stanceIds: number[];
};

/** Sets a recipient's stance tags. Setting the same tags again changes nothing and is not audited. */
export async function tagRecipientStance(
  deps: Pick<CommandDeps, "store">,
  input: TagRecipientStanceInput,
  now: Date,
): Promise<{ added: number[]; removed: number[] }> {
  await authoriseForLetter(deps.store.db, input.actor, "recipients.manage", input.letterId);
  const ids = z.array(z.number().int().positive()).max(100).safeParse(input.stanceIds);
  if (!ids.success) throw new AppError("validation");
  const wanted = new Set(ids.data);
  const result = await deps.store.db.transaction().execute(async (trx) => {
    const letter = await letterForUpdate(trx, deps.store.dialect, input, "recipients.manage");
    const recipient = await recipientOf(trx, letter.id, input.recipientId);
    const campaignStances = await trx
      .selectFrom("stances")
      .select("id")
      .where("campaign_id", "=", letter.campaign_id)
      .execute();
    const known = new Set(campaignStances.map((s) => s.id));
    if ([...wanted].some((id) => !known.has(id))) throw new AppError("not_found");
    const held = new Set(
      (
        await trx
          .selectFrom("recipient_stances")
          .select("stance_id")
          .where("recipient_id", "=", recipient.id)
          .execute()
      ).map((r) => r.stance_id),
    );
    const added = [...wanted].filter((id) => !held.has(id));
    const removed = [...held].filter((id) => !wanted.has(id));
    if (added.length === 0 && removed.length === 0) return { added, removed };
    if (removed.length > 0)
      await trx
        .deleteFrom("recipient_stances")
        .where("recipient_id", "=", recipient.id)
        .where("stance_id", "in", removed)
        .execute();
    for (const stanceId of added)
      await trx
        .insertInto("recipient_stances")
        .values({ recipient_id: recipient.id, stance_id: stanceId, created_at: now.toISOString() })
        .execute();
    await auditOnLetter(
      trx,
      input.actor,
      letter,
      {
        action: "recipient.stances",
        subjectType: "recipient",
        subjectId: recipient.id,
        detail: { added: added.join(","), removed: removed.join(",") },
      },
      now,
    );
    return { added, removed };
  });
  if (result.added.length + result.removed.length > 0) letterChanged(input.letterId);
  return result;
}
