import { AppError } from "../domain/app-error.ts";
import { confusableSkeleton } from "../domain/confusables.ts";
import { matchKey } from "../domain/names.ts";
import { type Actor, authorise } from "../policies/actor.ts";
import { findNameHolder } from "../queries/find-name-holder.ts";
import { auditSignature } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { letterChanged } from "../store/letter-changes.ts";
import { signatureById } from "../store/signature-rows.ts";

export type NameChangeDecision = "accept" | "decline";

export type ReviewNameChangeResult =
  | { outcome: "accepted" | "declined" }
  /** Nothing is proposed any more (reviewed by someone else, or taken back by the signer). */
  | { outcome: "none" }
  /** Another endorsement of the letter holds the proposed name meanwhile: a duplicate, not a rename. */
  | { outcome: "name_taken" };

/**
 * A reviewer decides on a name change that the signer of an approved, public endorsement asked for through
 * their manage link. Accepting publishes the new name (with its match key and skeleton); declining keeps
 * the approved one. Either way the proposal is cleared, and the audit entry says which without the names.
 */
export async function reviewNameChange(
  deps: Pick<CommandDeps, "store">,
  input: { actor: Actor; letterId: number; signatureId: number; decision: NameChangeDecision },
  now: Date,
): Promise<ReviewNameChangeResult> {
  const result = await deps.store.db.transaction().execute(async (trx): Promise<ReviewNameChangeResult> => {
    const signature = await signatureById(trx, input.signatureId, input.letterId)
      .select(["signatures.proposed_name", "signatures.proposed_name_alt"])
      .where("signatures.visibility", "=", "listed")
      .executeTakeFirst();
    if (!signature) throw new AppError("not_found");
    authorise(input.actor, "signature.review", signature.campaign_id);
    const proposed = signature.proposed_name;
    if (proposed === null) return { outcome: "none" };
    const at = now.toISOString();
    const key = matchKey(proposed);
    if (input.decision === "accept") {
      const holder = await findNameHolder(trx, {
        letterId: input.letterId,
        matchKey: key,
        exceptId: signature.id,
      });
      if (holder) return { outcome: "name_taken" };
    }
    await trx
      .updateTable("signatures")
      .set({
        ...(input.decision === "accept"
          ? {
              display_name: proposed,
              display_name_alt: signature.proposed_name_alt,
              match_key: key,
              skeleton: confusableSkeleton(proposed),
            }
          : {}),
        proposed_name: null,
        proposed_name_alt: null,
        updated_at: at,
      })
      .where("id", "=", signature.id)
      .execute();
    const action =
      input.decision === "accept" ? "signature.name_change_accepted" : "signature.name_change_declined";
    await auditSignature(trx, input.actor, signature, { action }, now);
    return { outcome: input.decision === "accept" ? "accepted" : "declined" };
  });
  if (result.outcome === "accepted") letterChanged(input.letterId);
  return result;
}
