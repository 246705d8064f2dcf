import { AppError } from "../domain/app-error.ts";
import type { Actor } from "../policies/actor.ts";
import { auditOnLetter } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { letterChanged } from "../store/letter-changes.ts";
import { authoriseForLetter, letterForUpdate, recipientOf } from "../store/recipient-rows.ts";

export type MoveRecipientInput = {
  actor: Actor;
  letterId: number;
  recipientId: number;
  /** Up: before the recipient listed above it; down: after the one below. */
  direction: "up" | "down";
};

/**
 * Swaps a recipient with its neighbour in the letter's order (by position, then id), which the console and the
 * public tracker list them in. Positions are renumbered 1… as it goes, so recipients that shared a position
 * (or left gaps when others were removed) still move one step. Moving the first up or the last down is refused.
 */
export async function moveRecipient(
  deps: Pick<CommandDeps, "store">,
  input: MoveRecipientInput,
  now: Date,
): Promise<{ position: number }> {
  await authoriseForLetter(deps.store.db, input.actor, "recipients.manage", input.letterId);
  if (input.direction !== "up" && input.direction !== "down") throw new AppError("validation");
  const result = await deps.store.db.transaction().execute(async (trx) => {
    // The letter's row lock keeps two coordinators' moves of one letter one after the other.
    const letter = await letterForUpdate(trx, deps.store.dialect, input, "recipients.manage");
    const recipient = await recipientOf(trx, letter.id, input.recipientId);
    const order = await trx
      .selectFrom("recipients")
      .select(["id", "position"])
      .where("letter_id", "=", letter.id)
      .orderBy("position")
      .orderBy("id")
      .execute();
    const from = order.findIndex((r) => r.id === recipient.id);
    const to = input.direction === "up" ? from - 1 : from + 1;
    if (to < 0 || to >= order.length)
      throw new AppError(
        "invalid_state",
        {},
        { recipient: input.direction === "up" ? "recipients.moveFirst" : "recipients.moveLast" },
      );
    const moved = [...order];
    [moved[from], moved[to]] = [moved[to]!, moved[from]!];
    for (const [index, row] of moved.entries()) {
      if (row.position !== index + 1)
        await trx
          .updateTable("recipients")
          .set({ position: index + 1 })
          .where("id", "=", row.id)
          .execute();
    }
    await auditOnLetter(
      trx,
      input.actor,
      letter,
      {
        action: "recipient.move",
        subjectType: "recipient",
        subjectId: recipient.id,
        detail: { name: recipient.name, direction: input.direction, position: to + 1 },
      },
      now,
    );
    return { position: to + 1 };
  });
  // The public tracker lists recipients in this order.
  letterChanged(input.letterId);
  return result;
}
