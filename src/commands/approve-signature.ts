import type { Kysely } from "kysely";
import { AppError } from "../domain/app-error.ts";
import { type Actor, authorise } from "../policies/actor.ts";
import { auditSignature } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { letterChanged } from "../store/letter-changes.ts";
import type { Database } from "../store/schema.ts";
import { signatureById } from "../store/signature-rows.ts";
import { applySignatureEvent, type TransitionOutcome } from "./signature-transition.ts";

/**
 * A coordinator or reviewer approves a confirmed endorsement, which makes it count (and, when listed,
 * appear). Unconfirmed ones are refused: nobody has yet shown the address is theirs. For undisclosed ones
 * the reviewer has opened the sealed identity in their own browser first; the server never sees it.
 */
export async function approveSignature(
  deps: Pick<CommandDeps, "store">,
  input: { actor: Actor; signatureId: number },
  now: Date,
): Promise<TransitionOutcome & { letterId: number }> {
  const result = await deps.store.db
    .transaction()
    .execute((trx) => approveInTransaction(trx, input.actor, input.signatureId, now));
  // After the commit, so a page rebuilt at once already sees the approval.
  if (result.changed) letterChanged(result.letterId);
  return result;
}

/** The approval itself, inside the caller's transaction (the review queue approves many in one). */
export async function approveInTransaction(
  trx: Kysely<Database>,
  actor: Actor,
  signatureId: number,
  now: Date,
): Promise<TransitionOutcome & { letterId: number }> {
  const signature = await signatureById(trx, signatureId).executeTakeFirst();
  if (!signature) throw new AppError("not_found");
  authorise(actor, "signature.review", signature.campaign_id);
  const outcome = await applySignatureEvent(trx, signature, "approve", now);
  if (outcome.changed) {
    await auditSignature(
      trx,
      actor,
      signature,
      { action: "signature.approve", detail: { visibility: signature.visibility } },
      now,
    );
  }
  return { ...outcome, letterId: signature.letter_id };
}
