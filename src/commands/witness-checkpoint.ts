import type { Kysely } from "kysely";
import type { VerifierKey } from "../domain/tlog/note.ts";
import { acceptedCosignature, addCheckpointBody, parseConflictSize } from "../domain/tlog/witness.ts";
import {
  type ConfiguredWitness,
  claimDueWitness,
  recordWitnessOutcome,
  type WitnessOutcome,
} from "../store/log-witnesses.ts";
import type { Database } from "../store/schema.ts";
import { proveConsistency, readLogState } from "../store/transparency-log.ts";

/*
 * Sends the log's newest checkpoint to every witness that has not cosigned it (C2SP tlog-witness), one
 * witness at a time under its lease, and keeps each cosignature for /log/checkpoint. A 409 names the size
 * the witness holds: the request is made again from that size, once. Any other refusal or a network
 * failure backs the witness off (5 s, doubling, at most an hour); the log goes on without it.
 */

export type Witness = ConfiguredWitness & { key: VerifierKey };

/** A request longer than this is abandoned; the lease outlives it so no other process steps in. */
export const WITNESS_TIMEOUT_MS = 10_000;
const LEASE_MS = 3 * WITNESS_TIMEOUT_MS;
const MAX_BACKOFF_MS = 60 * 60_000;

export type WitnessDeps = { db: Kysely<Database>; witnesses: readonly Witness[]; fetch: typeof fetch };

export async function witnessCheckpoint(
  deps: WitnessDeps,
  now: Date,
): Promise<{ cosigned: string[]; failed: string[] }> {
  const cosigned: string[] = [];
  const failed: string[] = [];
  const state = await readLogState(deps.db);
  if (!state || deps.witnesses.length === 0) return { cosigned, failed };
  for (;;) {
    const row = await claimDueWitness(deps.db, state.size, now, LEASE_MS);
    if (!row) break;
    const witness = deps.witnesses.find((w) => w.vkey === row.vkey);
    if (!witness) break;
    let outcome = await ask(deps, witness, row.known_size, state.size, state.checkpoint);
    if (!outcome.ok && outcome.knownSize !== undefined && outcome.knownSize <= state.size)
      outcome = await ask(deps, witness, outcome.knownSize, state.size, state.checkpoint);
    if (!outcome.ok) {
      const wait = Math.min(5_000 * 2 ** Math.min(row.failures, 20), MAX_BACKOFF_MS);
      outcome = { ...outcome, retryAt: new Date(now.getTime() + wait) };
    }
    await recordWitnessOutcome(deps.db, row.vkey, outcome, now);
    (outcome.ok ? cosigned : failed).push(witness.key.name);
  }
  return { cosigned, failed };
}

async function ask(
  deps: WitnessDeps,
  witness: Witness,
  oldSize: number,
  size: number,
  note: string,
): Promise<WitnessOutcome> {
  const failure = (problem: string, knownSize?: number): WitnessOutcome => ({
    ok: false,
    problem,
    retryAt: new Date(0),
    ...(knownSize === undefined ? {} : { knownSize }),
  });
  if (oldSize > size) return failure(`the witness holds size ${oldSize}, beyond this log's ${size}`);
  const proof = oldSize > 0 && oldSize < size ? await proveConsistency(deps.db, oldSize, size) : [];
  let response: Response;
  try {
    response = await deps.fetch(`${witness.url.replace(/\/+$/, "")}/add-checkpoint`, {
      method: "POST",
      headers: { "content-type": "text/plain; charset=utf-8" },
      body: addCheckpointBody(oldSize, proof, note),
      signal: AbortSignal.timeout(WITNESS_TIMEOUT_MS),
    });
  } catch (error) {
    return failure(`unreachable: ${(error as Error).message}`);
  }
  const body = (await response.text().catch(() => "")).slice(0, 10_000);
  if (response.status === 409) {
    const known = parseConflictSize(body);
    return known === null
      ? failure("409 without a size")
      : failure(`409: the witness holds size ${known}`, known);
  }
  if (response.status !== 200) return failure(`${response.status}: ${body.split("\n")[0] ?? ""}`.trim());
  const cosignature = acceptedCosignature(body, note, witness.key);
  return cosignature
    ? { ok: true, size, cosignature }
    : failure("200 without a cosignature that verifies with the configured key");
}
