import type { Kysely } from "kysely";
import { AppError } from "../domain/app-error.ts";
import { type CountEffect, countEffect } from "../domain/count-release.ts";
import type { SignatureState, Visibility } from "../domain/signature-states.ts";
import { decide, type SignatureEvent, statesAllowing, timestampColumn } from "../domain/signature-states.ts";
import type { Database } from "../store/schema.ts";
import { waitingFlag } from "../store/waiting-flag.ts";

export type TransitionOutcome = { changed: boolean; from: SignatureState; to: SignatureState };

/**
 * What a signer's change needs to know to wait for the release (domain/count-release.ts). `now` is the real
 * moment: the stored times may be cut to the day, but a release scheduled from the start of the day could
 * already have passed, and the count would then move at the signer's moment.
 */
export type SignerRow = { visibility: Visibility; counted: number; releaseEveryHours: number; now: Date };

/** Events a signer causes through their links; every other event is a coordinator's. */
const SIGNER_EVENTS: readonly SignatureEvent[] = ["confirm", "withdraw"];

/**
 * Applies one state-machine event to a signature inside the caller's transaction. The guard is checked
 * twice: by the domain (to tell "already done" from "not allowed") and in the UPDATE's WHERE, so two
 * requests racing (a coordinator approving while the signer withdraws) cannot both win. "Already done"
 * returns changed: false; "not allowed" throws invalid_state.
 *
 * The row's `counted` flag follows at once for a coordinator's event, and its part in the waiting figure
 * with it; a signer's event passes `signer` and may leave the public count to the letter's next release.
 */
export async function applySignatureEvent(
  trx: Kysely<Database>,
  signature: { id: number; state: SignatureState; signer?: SignerRow },
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
  const count = countEffectOf(signature, event, decision.to);
  const result = await trx
    .updateTable("signatures")
    .set((eb) => ({
      state: decision.to,
      updated_at: at,
      ...(column ? { [column]: at } : {}),
      ...count,
      ...("counted" in count ? { counted_waiting: waitingFlag(eb) } : {}),
      ...extra,
    }))
    .where("id", "=", signature.id)
    .where("state", "in", statesAllowing(event))
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new AppError("conflict");
  return { changed: true, from: signature.state, to: decision.to };
}

function countEffectOf(
  signature: { signer?: SignerRow },
  event: SignatureEvent,
  to: SignatureState,
): CountEffect {
  if (!SIGNER_EVENTS.includes(event)) return countEffect({ by: "coordinator", to });
  if (!signature.signer)
    throw new Error(`applySignatureEvent: a signer's ${event} needs the row's visibility`);
  return countEffect({ by: "signer", ...signature.signer, to });
}
