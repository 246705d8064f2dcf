import { invalidFields } from "../domain/app-error.ts";
import { type RecipientFields, recipientSchema } from "../domain/recipients.ts";
import type { Actor } from "../policies/actor.ts";
import { auditOnLetter } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { letterChanged } from "../store/letter-changes.ts";
import {
  authoriseForLetter,
  letterAddressees,
  letterForUpdate,
  recipientColumns,
  recipientOf,
} from "../store/recipient-rows.ts";

export type SaveRecipientInput = {
  actor: Actor;
  letterId: number;
  /** Absent: a new recipient, added after the others. */
  recipientId?: number | undefined;
  fields: RecipientFields;
};

/**
 * Adds a recipient to a letter or changes one. Bad input is a validation error per field (message keys),
 * so the form comes back with what was typed. The audit entry names the recipient (a public official), never
 * their addresses or notes.
 */
export async function saveRecipient(
  deps: Pick<CommandDeps, "store">,
  input: SaveRecipientInput,
  now: Date,
): Promise<{ id: number; created: boolean }> {
  await authoriseForLetter(deps.store.db, input.actor, "recipients.manage", input.letterId);
  const parsed = recipientSchema.safeParse(input.fields);
  if (!parsed.success) throw invalidFields(parsed.error.issues);
  const r = parsed.data;
  const at = now.toISOString();
  const result = await deps.store.db.transaction().execute(async (trx) => {
    const letter = await letterForUpdate(trx, deps.store.dialect, input, "recipients.manage");
    const values = { ...recipientColumns(r, await letterAddressees(trx, letter.id)), updated_at: at };
    let id: number;
    if (input.recipientId === undefined) {
      const last = await trx
        .selectFrom("recipients")
        .select((eb) => eb.fn.max("position").as("position"))
        .where("letter_id", "=", letter.id)
        .executeTakeFirst();
      ({ id } = await trx
        .insertInto("recipients")
        .values({
          ...values,
          letter_id: letter.id,
          position: Number(last?.position ?? 0) + 1,
          created_at: at,
        })
        .returning("id")
        .executeTakeFirstOrThrow());
    } else {
      ({ id } = await recipientOf(trx, letter.id, input.recipientId));
      await trx.updateTable("recipients").set(values).where("id", "=", id).execute();
    }
    await auditOnLetter(
      trx,
      input.actor,
      letter,
      {
        action: input.recipientId === undefined ? "recipient.create" : "recipient.update",
        subjectType: "recipient",
        subjectId: id,
        detail: { name: r.name, emails: r.emails.length },
      },
      now,
    );
    return { id, created: input.recipientId === undefined };
  });
  // The tracker on the public page names recipients.
  letterChanged(input.letterId);
  return result;
}
