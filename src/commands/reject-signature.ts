import type { Kysely } from "kysely";
import { z } from "zod";
import { seal } from "../crypto/seal.ts";
import { AppError } from "../domain/app-error.ts";
import { type Actor, authorise } from "../policies/actor.ts";
import { auditSignature } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { letterChanged } from "../store/letter-changes.ts";
import type { Database } from "../store/schema.ts";
import { signatureById } from "../store/signature-rows.ts";
import { applySignatureEvent, type TransitionOutcome } from "./signature-transition.ts";

const reason = z.string().trim().max(500).optional();

/**
 * A coordinator or reviewer rejects an endorsement (spam, a fake organisation, a name that is not the
 * signer's). The reason is for the coordinators' own record and never shown publicly. On an undisclosed
 * endorsement it is sealed to the campaign key like the identity it may well mention, and it is kept out of
 * the audit log either way.
 */
export async function rejectSignature(
  deps: Pick<CommandDeps, "store">,
  input: { actor: Actor; signatureId: number; reason?: string | undefined },
  now: Date,
): Promise<TransitionOutcome & { letterId: number }> {
  const text = parseRejectReason(input.reason);
  const result = await deps.store.db
    .transaction()
    .execute((trx) => rejectInTransaction(trx, input.actor, input.signatureId, text, now));
  if (result.changed) letterChanged(result.letterId);
  return result;
}

/** The reason as stored before sealing: trimmed, capped, empty meaning none. */
export function parseRejectReason(value: string | undefined): string | null {
  const parsed = reason.safeParse(value);
  if (!parsed.success) throw new AppError("validation", {}, { reason: "field.tooLong" });
  return parsed.data || null;
}

/** The rejection itself, inside the caller's transaction (the review queue rejects many in one). */
export async function rejectInTransaction(
  trx: Kysely<Database>,
  actor: Actor,
  signatureId: number,
  text: string | null,
  now: Date,
): Promise<TransitionOutcome & { letterId: number }> {
  const signature = await signatureById(trx, signatureId)
    .innerJoin("campaigns", "campaigns.id", "letters.campaign_id")
    .select("campaigns.public_key")
    .executeTakeFirst();
  if (!signature) throw new AppError("not_found");
  authorise(actor, "signature.review", signature.campaign_id);
  const stored =
    text && signature.visibility === "undisclosed"
      ? signature.public_key
        ? await seal(text, signature.public_key)
        : null
      : text;
  const outcome = await applySignatureEvent(trx, signature, "reject", now, { reject_reason: stored });
  if (outcome.changed) {
    await auditSignature(
      trx,
      actor,
      signature,
      { action: "signature.reject", detail: { visibility: signature.visibility, from: outcome.from } },
      now,
    );
  }
  return { ...outcome, letterId: signature.letter_id };
}
