import { AppError } from "../domain/app-error.ts";
import { type Actor, authorise } from "../policies/actor.ts";
import { auditSignature } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { letterChanged } from "../store/letter-changes.ts";
import { signaturesWithLetter } from "../store/signature-rows.ts";
import { approveInTransaction } from "./approve-signature.ts";
import { applySignatureEvent } from "./signature-transition.ts";

export type MergeOutcome = { keptId: number; mergedId: number; changed: boolean };

/**
 * Merges two endorsements of one organisation. The earlier one (by confirmation, then by id) is kept: it is
 * the one whose receipt and public listing came first. The later one goes to state "merged" with
 * merged_into_id pointing at the kept one, so it stops counting and the merge stays visible in the data.
 * When the later one had already been approved and the kept one had not, the kept one is approved too:
 * a coordinator vouched for the organisation, and the count must not drop through a merge.
 */
export async function mergeSignatures(
  deps: Pick<CommandDeps, "store">,
  input: { actor: Actor; letterId: number; signatureIds: readonly [number, number] },
  now: Date,
): Promise<MergeOutcome> {
  const [first, second] = input.signatureIds;
  if (first === second) throw new AppError("validation");
  const result = await deps.store.db.transaction().execute(async (trx) => {
    const rows = await signaturesWithLetter(trx)
      .select(["signatures.confirmed_at", "signatures.merged_into_id"])
      .where("signatures.letter_id", "=", input.letterId)
      .where("signatures.id", "in", [first, second])
      .execute();
    if (rows.length !== 2) throw new AppError("not_found");
    authorise(input.actor, "signature.edit", rows[0]!.campaign_id);
    const [keep, merge] = rows.sort(
      (a, b) => (a.confirmed_at ?? "").localeCompare(b.confirmed_at ?? "") || a.id - b.id,
    ) as [(typeof rows)[number], (typeof rows)[number]];
    if (merge.state === "merged") {
      // Merged into this one already: a double submit. Merged into another: a stale page; say so.
      if (merge.merged_into_id === keep.id) return { keptId: keep.id, mergedId: merge.id, changed: false };
      throw new AppError("invalid_state");
    }
    if (keep.state !== "confirmed" && keep.state !== "approved") throw new AppError("invalid_state");
    const outcome = await applySignatureEvent(trx, merge, "merge", now, { merged_into_id: keep.id });
    if (outcome.from === "approved" && keep.state === "confirmed") {
      await approveInTransaction(trx, input.actor, keep.id, now);
    }
    await auditSignature(
      trx,
      input.actor,
      merge,
      {
        action: "signature.merge",
        detail: { merged_into: keep.id, visibility: merge.visibility, from: outcome.from },
      },
      now,
    );
    return { keptId: keep.id, mergedId: merge.id, changed: true };
  });
  if (result.changed) letterChanged(input.letterId);
  return result;
}
