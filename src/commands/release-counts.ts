import { releaseHour } from "../domain/count-release.ts";
import { COUNTED_STATE } from "../domain/counts.ts";
import type { CommandDeps } from "../store/deps.ts";
import { letterChanged } from "../store/letter-changes.ts";
import { waitingFlag } from "../store/waiting-flag.ts";

export type ReleaseCountsResult = { letters: number[]; rows: number };

/**
 * The release: every signer's change whose release has come reaches the public count now, all at once
 * (domain/count-release.ts). The server's periodic work runs it; it is idempotent and safe to run from
 * several processes at once (a second run finds nothing due). The letters it changed record the release
 * to the hour, and their cached pages are rebuilt; the transparency log follows at its next run.
 */
export async function releaseCounts(
  deps: Pick<CommandDeps, "store">,
  _input: Record<string, never>,
  now: Date,
): Promise<ReleaseCountsResult> {
  const at = now.toISOString();
  const result = await deps.store.db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom("signatures")
      .select("letter_id")
      .distinct()
      .where("count_change_at", "<=", at)
      .execute();
    if (due.length === 0) return { letters: [], rows: 0 };
    const updated = await trx
      .updateTable("signatures")
      .set((eb) => ({
        counted: eb.case().when("state", "=", COUNTED_STATE).then(1).else(0).end(),
        counted_waiting: waitingFlag(eb),
        count_change_at: null,
      }))
      .where("count_change_at", "<=", at)
      .executeTakeFirst();
    const letters = due.map((row) => row.letter_id);
    await trx
      .updateTable("letters")
      .set({ counts_released_at: releaseHour(now).toISOString() })
      .where("id", "in", letters)
      .execute();
    return { letters, rows: Number(updated.numUpdatedRows) };
  });
  for (const letterId of result.letters) letterChanged(letterId);
  return result;
}
