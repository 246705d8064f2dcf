import { z } from "zod";
import { AppError, invalidFields } from "../domain/app-error.ts";
import { textProblems } from "../domain/text-input.ts";
import { type Actor, actorUserId } from "../policies/actor.ts";
import { auditOnLetter } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { letterChanged } from "../store/letter-changes.ts";
import { authoriseForLetter, isPastDate, letterForUpdate, recipientOf } from "../store/recipient-rows.ts";

export type RecordManualDeliveryInput = {
  actor: Actor;
  letterId: number;
  recipientId: number;
  form: { method: string; deliveredOn: string; note?: string | undefined };
};

/**
 * Records a delivery made outside the outbox: by hand, by post or through an embassy, on a given date,
 * with a note (who received it, a registered-post number). It counts as delivered on the tracker at once.
 */
export async function recordManualDelivery(
  deps: Pick<CommandDeps, "store">,
  input: RecordManualDeliveryInput,
  now: Date,
): Promise<{ id: number }> {
  await authoriseForLetter(deps.store.db, input.actor, "letter.deliver", input.letterId);
  const schema = z.object({
    method: z.enum(["hand", "post", "embassy"], "delivery.methodRequired"),
    deliveredOn: z
      .string()
      .trim()
      .refine((v) => isPastDate(v, now), "delivery.dateInvalid"),
    note: z
      .string()
      .trim()
      .max(2000, "field.tooLong")
      .optional()
      .transform((v) => v || null),
  });
  const badText = textProblems(input.form);
  if (Object.keys(badText).length > 0) throw new AppError("validation", {}, badText);
  const parsed = schema.safeParse(input.form);
  if (!parsed.success) throw invalidFields(parsed.error.issues);
  const { method, deliveredOn, note } = parsed.data;
  const at = now.toISOString();
  const result = await deps.store.db.transaction().execute(async (trx) => {
    const letter = await letterForUpdate(trx, deps.store.dialect, input, "letter.deliver");
    if (letter.state === "draft" || letter.state === "collecting")
      throw new AppError("invalid_state", {}, { delivery: "delivery.notPublished" });
    const recipient = await recipientOf(trx, letter.id, input.recipientId);
    const current = await trx
      .selectFrom("letters")
      .select("current_version_id")
      .where("id", "=", letter.id)
      .executeTakeFirstOrThrow();
    const { id } = await trx
      .insertInto("deliveries")
      .values({
        letter_id: letter.id,
        recipient_id: recipient.id,
        method,
        state: "recorded",
        version_id: current.current_version_id,
        delivered_at: `${deliveredOn}T00:00:00.000Z`,
        note,
        created_at: at,
        updated_at: at,
        created_by: actorUserId(input.actor),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await auditOnLetter(
      trx,
      input.actor,
      letter,
      {
        action: "delivery.record",
        subjectType: "delivery",
        subjectId: id,
        detail: { recipient: recipient.id, method, delivered_on: deliveredOn },
      },
      now,
    );
    return { id };
  });
  letterChanged(input.letterId);
  return result;
}
