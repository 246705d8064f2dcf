import { AppError } from "../domain/app-error.ts";
import { decide } from "../domain/signature-states.ts";
import { type Actor, authorise } from "../policies/actor.ts";
import type { CommandDeps } from "../store/deps.ts";
import { letterChanged } from "../store/letter-changes.ts";
import { approveInTransaction } from "./approve-signature.ts";
import { parseRejectReason, rejectInTransaction } from "./reject-signature.ts";

/** More than a page of the queue is never ticked at once; the cap keeps one transaction short. */
export const MAX_REVIEW_BATCH = 500;

export type ReviewDecision = "approve" | "reject";

export type ReviewOutcome = {
  /** Endorsements this request moved. */
  changed: number;
  /** Already in the asked-for state (a double submit, or a co-reviewer was quicker). */
  unchanged: number;
  /** No longer reviewable (withdrawn or merged meanwhile); left as they are. */
  skipped: number;
};

/**
 * The review queue's bulk action: approve or reject the ticked endorsements of one letter, all in one
 * transaction so a batch is never half applied. Each goes through the same guarded transition and audit
 * entry as a single approval. An id of another letter is refused outright (a tampered form, not a race);
 * an endorsement the signer withdrew while the reviewer was reading is skipped and reported, not an error,
 * so one withdrawal does not throw away the rest of the reviewer's work.
 */
export async function reviewSignatures(
  deps: Pick<CommandDeps, "store">,
  input: {
    actor: Actor;
    letterId: number;
    signatureIds: readonly number[];
    decision: ReviewDecision;
    reason?: string | undefined;
  },
  now: Date,
): Promise<ReviewOutcome> {
  const ids = [...new Set(input.signatureIds)];
  if (ids.length === 0 || ids.length > MAX_REVIEW_BATCH) throw new AppError("validation");
  const reason = input.decision === "reject" ? parseRejectReason(input.reason) : null;

  const outcome = await deps.store.db.transaction().execute(async (trx) => {
    const letter = await trx
      .selectFrom("letters")
      .select("campaign_id")
      .where("id", "=", input.letterId)
      .executeTakeFirst();
    if (!letter) throw new AppError("not_found");
    authorise(input.actor, "signature.review", letter.campaign_id);
    const rows = await trx
      .selectFrom("signatures")
      .select(["id", "state"])
      .where("letter_id", "=", input.letterId)
      .where("id", "in", ids)
      .execute();
    if (rows.length !== ids.length) throw new AppError("not_found");
    const result: ReviewOutcome = { changed: 0, unchanged: 0, skipped: 0 };
    for (const row of rows) {
      const decision = decide(row.state, input.decision);
      if (decision.outcome === "refused") {
        result.skipped++;
        continue;
      }
      const applied =
        input.decision === "approve"
          ? await approveInTransaction(trx, input.actor, row.id, now)
          : await rejectInTransaction(trx, input.actor, row.id, reason, now);
      if (applied.changed) result.changed++;
      else result.unchanged++;
    }
    return result;
  });
  if (outcome.changed > 0) letterChanged(input.letterId);
  return outcome;
}
