import { AppError } from "../domain/app-error.ts";
import type { Actor } from "../policies/actor.ts";
import { auditOnLetter } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { letterChanged } from "../store/letter-changes.ts";
import { authoriseForLetter, letterForUpdate, recipientOf } from "../store/recipient-rows.ts";

export type RemoveRecipientInput = { actor: Actor; letterId: number; recipientId: number };

/**
 * Removes a recipient added by mistake. One the letter was already sent to by email is kept: its deliveries
 * are the record of what went out (and a queued mail would still go), so removing it is refused.
 */
export async function removeRecipient(
  deps: Pick<CommandDeps, "store">,
  input: RemoveRecipientInput,
  now: Date,
): Promise<void> {
  await authoriseForLetter(deps.store.db, input.actor, "recipients.manage", input.letterId);
  await deps.store.db.transaction().execute(async (trx) => {
    const letter = await letterForUpdate(trx, deps.store.dialect, input, "recipients.manage");
    const recipient = await recipientOf(trx, letter.id, input.recipientId);
    const mailed = await trx
      .selectFrom("deliveries")
      .select("id")
      .where("recipient_id", "=", recipient.id)
      .where("method", "=", "email")
      .executeTakeFirst();
    if (mailed) throw new AppError("invalid_state", {}, { recipient: "recipients.removeDelivered" });
    // Responses and stance tags go with it (ON DELETE CASCADE); manual deliveries too.
    await trx.deleteFrom("recipient_stances").where("recipient_id", "=", recipient.id).execute();
    await trx.deleteFrom("responses").where("recipient_id", "=", recipient.id).execute();
    await trx.deleteFrom("deliveries").where("recipient_id", "=", recipient.id).execute();
    await trx.deleteFrom("recipients").where("id", "=", recipient.id).execute();
    await auditOnLetter(
      trx,
      input.actor,
      letter,
      {
        action: "recipient.remove",
        subjectType: "recipient",
        subjectId: recipient.id,
        detail: { name: recipient.name },
      },
      now,
    );
  });
  letterChanged(input.letterId);
}
