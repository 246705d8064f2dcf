import type { SignerKey } from "../domain/tlog/note.ts";
import type { Logger } from "../log.ts";
import type { Store } from "../store/db.ts";
import { closeEndedWindows } from "../store/rate-limit.ts";
import { integrateLog } from "./integrate-log.ts";
import { releaseCounts } from "./release-counts.ts";
import { type WitnessDeps, witnessCheckpoint } from "./witness-checkpoint.ts";

/**
 * How often the server's own work runs: a coordinator's action reaches the log within this and a run, and a
 * release or a rate-limit window's end is acted on within it.
 */
export const PERIODIC_WORK_INTERVAL_MS = 4_000;

export type PeriodicWork = { stop(): Promise<void> };

/**
 * The server's own periodic work, in every server process, in this order: count releases that are due,
 * rate-limit windows that have ended (their keys and rows deleted), then the transparency log catching up
 * with the counted set (so a release's changes reach the log in the same run). Each step is idempotent and
 * safe to run from several processes at once. A failed run is logged and retried at the next tick.
 */
export function startPeriodicWork(options: {
  store: Store;
  signer: SignerKey;
  log: Logger;
  now: () => Date;
  intervalMs?: number;
}): PeriodicWork {
  return repeat(
    () => runPeriodicWork(options.store, options.signer, options.log, options.now()),
    options.intervalMs ?? PERIODIC_WORK_INTERVAL_MS,
    options.log,
    "periodic work failed",
  );
}

/**
 * Sending checkpoints to witnesses, a loop of its own beside the periodic work: a slow or unreachable
 * witness (each request may wait WITNESS_TIMEOUT_MS) never holds back a release or the log's own appends.
 */
export function startWitnessWork(options: {
  deps: WitnessDeps;
  log: Logger;
  now: () => Date;
  intervalMs?: number;
}): PeriodicWork {
  return repeat(
    async () => {
      const result = await witnessCheckpoint(options.deps, options.now());
      if (result.failed.length > 0)
        options.log.warn({ witnesses: result.failed }, "witnesses did not cosign");
    },
    options.intervalMs ?? PERIODIC_WORK_INTERVAL_MS,
    options.log,
    "witnessing failed",
  );
}

/** Runs `work` now and every `intervalMs`, never two runs at once; a failed run is logged and retried. */
function repeat(work: () => Promise<void>, intervalMs: number, log: Logger, failure: string): PeriodicWork {
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = work()
      .catch((error: unknown) => log.error({ err: error }, failure))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

/** One run of the periodic work at `now`; the tests call it with the time they choose. */
export async function runPeriodicWork(
  store: Store,
  signer: SignerKey,
  log: Logger,
  now: Date,
): Promise<void> {
  const released = await releaseCounts({ store }, {}, now);
  if (released.rows > 0) log.debug({ letters: released.letters.length }, "counts released");
  await closeEndedWindows(store.db, now);
  const result = await integrateLog({ db: store.db, signer }, now);
  if (result.appended > 0)
    log.debug({ appended: result.appended, size: result.size }, "log entries appended");
}
