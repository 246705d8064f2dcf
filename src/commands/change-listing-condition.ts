import { AppError } from "../domain/app-error.ts";
import { startOfUtcDay } from "../domain/coarse-time.ts";
import { waitingChangeAt } from "../domain/count-release.ts";
import { thresholdOf } from "../domain/sign-form.ts";
import { parseDay } from "../domain/threshold-disclosure.ts";
import type { MessageKey } from "../i18n/index.ts";
import type { CommandDeps } from "../store/deps.ts";
import { signatureBySignerLink } from "../store/signature-rows.ts";
import { recordSignerEvent } from "../store/signer-events.ts";

export type ListingChoice =
  /** Keep or set a condition: list once `threshold` others are listed, or from `disclose_on`. */
  | { choice: "threshold"; threshold?: string | undefined; disclose_on?: string | undefined }
  /** Stay undisclosed for good: the condition goes. */
  | { choice: "undisclosed" }
  /**
   * Be listed now: a condition already met, so the coalition lists the name it verified, from the sealed
   * identity, rather than one typed here (which could be anyone's).
   */
  | { choice: "listed" };

/**
 * Through the private manage link, the signer of an undisclosed endorsement sets, changes or drops its
 * listing condition (domain/threshold-disclosure.ts), or asks to be listed now, as long as the coalition
 * has not listed it. The endorsement stays undisclosed and counted as before, so no count or log entry
 * moves; only the public waiting figure may, and it waits for the letter's next release. The change is kept
 * to the day like every signer's action.
 */
export async function changeListingCondition(
  deps: Pick<CommandDeps, "store">,
  input: { slug: string; manageToken: string } & ListingChoice,
  now: Date,
): Promise<{ outcome: "changed" | "not_changeable"; letterId: number }> {
  const fields: Record<string, MessageKey> = {};
  const threshold =
    input.choice === "threshold" ? thresholdOf(input.threshold) : input.choice === "listed" ? 0 : undefined;
  const day = input.choice === "threshold" && input.disclose_on ? parseDay(input.disclose_on) : undefined;
  if (input.choice === "threshold") {
    if (threshold === undefined) fields.threshold = "sign.thresholdInvalid";
    if (input.disclose_on && day === undefined) fields.disclose_on = "sign.discloseOnInvalid";
  }
  if (Object.keys(fields).length > 0) throw new AppError("validation", {}, fields);

  return deps.store.db.transaction().execute(async (trx) => {
    const signature = await signatureBySignerLink(trx, "signatures.manage_token_hash", {
      slug: input.slug,
      token: input.manageToken,
    })
      .select([
        "signatures.counted",
        "signatures.counted_waiting",
        "signatures.count_change_at",
        "letters.release_every_hours",
      ])
      .executeTakeFirst();
    if (!signature) throw new AppError("token_invalid");
    const releaseAt = waitingChangeAt(
      {
        counted: signature.counted,
        countedWaiting: signature.counted_waiting,
        countChangeAt: signature.count_change_at,
      },
      threshold !== undefined,
      signature.release_every_hours,
      now,
    );
    const changed = await trx
      .updateTable("signatures")
      .set({
        disclose_threshold: threshold ?? null,
        disclose_on: day ?? null,
        ...(releaseAt ? { count_change_at: releaseAt } : {}),
        updated_at: startOfUtcDay(now),
      })
      .where("id", "=", signature.id)
      // Once listed, or once it left (withdrawn, rejected, merged), there is nothing left to list.
      .where("visibility", "=", "undisclosed")
      .where("state", "in", ["unconfirmed", "confirmed", "approved"])
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1)
      return { outcome: "not_changeable", letterId: signature.letter_id };
    await recordSignerEvent(
      trx,
      signature,
      { action: "signature.condition", detail: { choice: input.choice } },
      now,
    );
    return { outcome: "changed", letterId: signature.letter_id };
  });
}
