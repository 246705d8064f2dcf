import type { Kysely } from "kysely";
import { AppError } from "../domain/app-error.ts";
import type { SignatureState } from "../domain/signature-states.ts";
import { decide, type SignatureEvent, statesAllowing, timestampColumn } from "../domain/signature-states.ts";
import type { Database } from "../store/schema.ts";

export type TransitionOutcome = { changed: boolean; from: SignatureState; to: SignatureState };

/**
 * Applies one state-machine event to a signature inside the caller's transaction. The guard is checked
 * twice: by the domain (to tell "already done" from "not allowed") and in the UPDATE's WHERE, so two
 * requests racing (a coordinator approving while the signer withdraws) cannot both win. "Already done"
 * returns changed: false; "not allowed" throws invalid_state.
 */
export async function applySignatureEvent(
  trx: Kysely<Database>,
  signature: { id: number; state: SignatureState },
  event: SignatureEvent,
  now: Date,
  extra: {
    reject_reason?: string | null;
    merged_into_id?: number;
    updates_email?: null;
    updates_token_hash?: null;
  } = {},
): Promise<TransitionOutcome> {
  const decision = decide(signature.state, event);
  if (decision.outcome === "unchanged") return { changed: false, from: signature.state, to: signature.state };
  if (decision.outcome === "refused") throw new AppError("invalid_state");
  const at = now.toISOString();
  const column = timestampColumn(decision.to);
  const result = await trx
    .updateTable("signatures")
    .set({ state: decision.to, updated_at: at, ...(column ? { [column]: at } : {}), ...extra })
    .where("id", "=", signature.id)
    .where("state", "in", statesAllowing(event))
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new AppError("conflict");
  return { changed: true, from: signature.state, to: decision.to };
}
