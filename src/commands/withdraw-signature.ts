import { sha256 } from "../crypto/tokens.ts";
import { AppError } from "../domain/app-error.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { letterChanged } from "../store/letter-changes.ts";
import { applySignatureEvent, type TransitionOutcome } from "./signature-transition.ts";

/**
 * The signer withdraws through the private manage link on their receipt. A withdrawn endorsement no longer
 * counts and its name leaves every public place at once, because pages and the API read only approved
 * endorsements. The row stays (its sealed boxes included) so coordinators can see the history, but not the
 * address given for update mails; withdrawing twice is "already withdrawn".
 */
export async function withdrawSignature(
  deps: Pick<CommandDeps, "store">,
  input: { slug: string; manageToken: string },
  now: Date,
): Promise<TransitionOutcome & { signatureId: number; letterId: number }> {
  const result = await deps.store.db.transaction().execute(async (trx) => {
    const signature = await trx
      .selectFrom("signatures")
      .innerJoin("letters", "letters.id", "signatures.letter_id")
      .select([
        "signatures.id",
        "signatures.state",
        "signatures.visibility",
        "letters.id as letter_id",
        "letters.campaign_id",
      ])
      .where("signatures.manage_token_hash", "=", sha256(input.manageToken))
      .where("letters.slug", "=", input.slug)
      .executeTakeFirst();
    if (!signature) throw new AppError("token_invalid");
    // The address kept for update mails (listed signers who asked for them) goes with the endorsement.
    const outcome = await applySignatureEvent(trx, signature, "withdraw", now, {
      updates_email: null,
      updates_token_hash: null,
    });
    if (outcome.changed) {
      await recordAudit(
        trx,
        {
          actor: "signer",
          action: "signature.withdraw",
          subjectType: "signature",
          subjectId: signature.id,
          campaignId: signature.campaign_id,
          letterId: signature.letter_id,
          detail: { visibility: signature.visibility, from: outcome.from },
        },
        now,
      );
    }
    return { ...outcome, signatureId: signature.id, letterId: signature.letter_id };
  });
  if (result.changed) letterChanged(result.letterId);
  return result;
}
