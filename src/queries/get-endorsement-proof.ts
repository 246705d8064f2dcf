import type { Kysely } from "kysely";
import { utf8 } from "../domain/tlog/bytes.ts";
import { formatTlogProof } from "../domain/tlog/proof.ts";
import type { Database } from "../store/schema.ts";
import { proveInclusion, readLogState } from "../store/transparency-log.ts";

export type EndorsementProof = { index: number; size: number; proof: string };

/**
 * An endorsement's receipt in the log: its entry, index and inclusion proof in the newest checkpoint, as a
 * C2SP tlog-proof anyone can verify offline. Null until the endorsement counts in the log (the integrator
 * logs it at a coordinator's action or a release) and again once it stops counting.
 */
export async function getEndorsementProof(
  db: Kysely<Database>,
  signatureId: number,
): Promise<EndorsementProof | null> {
  const logged = await db
    .selectFrom("log_entries")
    .select(["idx", "entry"])
    .where("signature_id", "=", signatureId)
    .where("kind", "=", "endorsement")
    .where("withdrawn_by", "is", null)
    .executeTakeFirst();
  // Most receipts are shown before their endorsement is logged (at confirmation): then the log is not read.
  if (!logged) return null;
  const state = await readLogState(db);
  if (!state || state.size <= logged.idx) return null;
  // Nodes never change once written, so a proof for the size read above holds whatever is appended now.
  const { proof } = await proveInclusion(db, logged.idx, state.size);
  return {
    index: logged.idx,
    size: state.size,
    proof: formatTlogProof({
      extra: utf8(logged.entry),
      index: logged.idx,
      proof,
      checkpoint: state.checkpoint,
    }),
  };
}
