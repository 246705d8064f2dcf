import { AppError } from "../domain/app-error.ts";
import { dayOf } from "../domain/coarse-time.ts";
import type { CommandDeps } from "../store/deps.ts";
import { letterChanged } from "../store/letter-changes.ts";
import { signatureBySignerLink } from "../store/signature-rows.ts";
import { recordSignerEvent } from "../store/signer-events.ts";
import { applySignatureEvent, type TransitionOutcome } from "./signature-transition.ts";

/**
 * The signer withdraws through the private manage link on their receipt. A listed endorsement's name leaves
 * every public place at once and its count with it; an undisclosed one stops counting at the letter's next
 * release (domain/count-release.ts), so the public count never moves at the signer's moment. The row stays (its sealed boxes included) so coordinators can see the history, but not the
 * address given for update mails; withdrawing twice is "already withdrawn".
 */
export async function withdrawSignature(
  deps: Pick<CommandDeps, "store">,
  input: { slug: string; manageToken: string },
  now: Date,
): Promise<TransitionOutcome & { signatureId: number; letterId: number; listed: boolean }> {
  const result = await deps.store.db.transaction().execute(async (trx) => {
    const signature = await signatureBySignerLink(trx, "signatures.manage_token_hash", {
      slug: input.slug,
      token: input.manageToken,
    })
      .select(["signatures.counted", "letters.release_every_hours"])
      .executeTakeFirst();
    if (!signature) throw new AppError("token_invalid");
    // The address kept for update mails (listed signers who asked for them) goes with the endorsement.
    // A signer's action: the withdrawal's time is kept to the day (domain/coarse-time.ts); its release is
    // scheduled from the real moment, so it never falls before it.
    const signer = {
      visibility: signature.visibility,
      counted: signature.counted,
      releaseEveryHours: signature.release_every_hours,
      now,
    };
    const outcome = await applySignatureEvent(trx, { ...signature, signer }, "withdraw", dayOf(now), {
      updates_email: null,
      updates_token_hash: null,
    });
    if (outcome.changed) {
      await recordSignerEvent(
        trx,
        signature,
        { action: "signature.withdraw", detail: { visibility: signature.visibility, from: outcome.from } },
        now,
      );
    }
    return {
      ...outcome,
      signatureId: signature.id,
      letterId: signature.letter_id,
      listed: signature.visibility === "listed",
    };
  });
  // An undisclosed withdrawal changes nothing public until the release, which announces the change itself.
  if (result.changed && result.listed) letterChanged(result.letterId);
  return result;
}
