import type { Kysely } from "kysely";
import type { SignerKey } from "../domain/tlog/note.ts";
import type { Logger } from "../log.ts";
import type { Database } from "../store/schema.ts";
import { integrateLog } from "./integrate-log.ts";

/** How often the log catches up with the counted set: a coordinator's action shows within this and a run. */
export const LOG_INTEGRATION_INTERVAL_MS = 4_000;

export type LogIntegrator = { stop(): Promise<void> };

/**
 * Runs integrateLog on a timer in every server process; the log's lock makes concurrent runs harmless.
 * A failed run is logged and retried at the next tick (the counted set is the source of truth).
 */
export function startLogIntegrator(options: {
  db: Kysely<Database>;
  signer: SignerKey;
  log: Logger;
  now: () => Date;
  intervalMs?: number;
}): LogIntegrator {
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = integrateLog({ db: options.db, signer: options.signer }, options.now())
      .then((result) => {
        if (result.appended > 0)
          options.log.info({ appended: result.appended, size: result.size }, "log entries appended");
      })
      .catch((error: unknown) => options.log.error({ err: error }, "log integration failed"))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, options.intervalMs ?? LOG_INTEGRATION_INTERVAL_MS);
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
