import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";

/*
 * The witnesses' rows (see migrations/0017-log-witnesses.ts): which witness is due, who is talking to it,
 * what it answered. A process claims a witness with a lease before posting to it, so several processes
 * never send the same witness the same checkpoint twice at once, and a process that dies mid-request only
 * delays that witness until its lease runs out.
 */

export type ConfiguredWitness = { vkey: string; url: string };
export type WitnessRow = { vkey: string; url: string; known_size: number; failures: number };

/** Makes the rows match the configuration: new witnesses start from size 0, removed ones are dropped. */
export async function syncWitnesses(
  db: Kysely<Database>,
  witnesses: readonly ConfiguredWitness[],
  now: Date,
): Promise<void> {
  const keep = witnesses.map((w) => w.vkey);
  await db
    .deleteFrom("log_witnesses")
    .$if(keep.length > 0, (q) => q.where("vkey", "not in", keep))
    .execute();
  for (const w of witnesses) {
    await db
      .insertInto("log_witnesses")
      .values({ vkey: w.vkey, url: w.url, next_attempt_at: now.toISOString() })
      .onConflict((oc) => oc.column("vkey").doUpdateSet({ url: w.url }))
      .execute();
  }
}

/**
 * Leases one witness that has not cosigned the tree of `size` and whose back-off is over, or null. The
 * lease is taken by a conditional update, so of two processes racing for a row only one gets it.
 */
export async function claimDueWitness(
  db: Kysely<Database>,
  size: number,
  now: Date,
  leaseMs: number,
): Promise<WitnessRow | null> {
  const at = now.toISOString();
  const due = await db
    .selectFrom("log_witnesses")
    .select(["vkey", "url", "known_size", "failures"])
    .where((eb) => eb.or([eb("cosigned_size", "is", null), eb("cosigned_size", "<", size)]))
    .where("next_attempt_at", "<=", at)
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", at)]))
    .orderBy("next_attempt_at")
    .execute();
  for (const row of due) {
    const taken = await db
      .updateTable("log_witnesses")
      .set({ lease_until: new Date(now.getTime() + leaseMs).toISOString() })
      .where("vkey", "=", row.vkey)
      .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", at)]))
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 1) return row;
  }
  return null;
}

export type WitnessOutcome =
  | { ok: true; size: number; cosignature: string }
  | { ok: false; problem: string; knownSize?: number; retryAt: Date };

/** Records what the witness answered and gives its lease back. */
export async function recordWitnessOutcome(
  db: Kysely<Database>,
  vkey: string,
  outcome: WitnessOutcome,
  now: Date,
): Promise<void> {
  await db
    .updateTable("log_witnesses")
    .set((eb) =>
      outcome.ok
        ? {
            known_size: outcome.size,
            cosigned_size: outcome.size,
            cosignature: outcome.cosignature,
            failures: 0,
            next_attempt_at: now.toISOString(),
            lease_until: null,
            last_problem: null,
          }
        : {
            ...(outcome.knownSize === undefined ? {} : { known_size: outcome.knownSize }),
            failures: eb("failures", "+", 1),
            next_attempt_at: outcome.retryAt.toISOString(),
            lease_until: null,
            last_problem: outcome.problem,
          },
    )
    .where("vkey", "=", vkey)
    .execute();
}

/** The cosignature lines that cover the tree of `size`, of the witnesses configured now. */
export async function cosignaturesFor(
  db: Kysely<Database>,
  size: number,
  vkeys: readonly string[],
): Promise<string[]> {
  if (vkeys.length === 0) return [];
  const rows = await db
    .selectFrom("log_witnesses")
    .select(["cosignature"])
    .where("cosigned_size", "=", size)
    .where("vkey", "in", vkeys)
    .orderBy("vkey")
    .execute();
  return rows.flatMap((r) => (r.cosignature ? [r.cosignature] : []));
}
