import type { FastifyInstance } from "fastify";
import { beforeAll } from "vitest";
import { createExampleCampaign } from "../src/commands/create-example-campaign.ts";
import { integrateLog } from "../src/commands/integrate-log.ts";
import { utf8 } from "../src/domain/tlog/bytes.ts";
import { parseEntry } from "../src/domain/tlog/entries.ts";
import type { SignerKey } from "../src/domain/tlog/note.ts";
import type { Store } from "../src/store/db.ts";
import { appendToLog, ensureLogKey } from "../src/store/transparency-log.ts";
import { buildTestApp } from "./app.ts";

/*
 * The transparency log as the offline verifiers (verify --log, verify RECEIPT) meet it: the example
 * campaign's endorsements integrated into the log and served over real HTTP by the app, on a free port.
 */

/** Serves the example campaign's log for the enclosing describe block; its getters work inside tests. */
export function useServedExampleLog(store: { current(): Store; dataDir(): string }) {
  let app: FastifyInstance;
  let signer: SignerKey;
  let now: Date;
  let logUrl: string;
  beforeAll(async () => {
    const test = await buildTestApp(store.current(), store.dataDir());
    app = test.app;
    now = test.clock.now;
    await createExampleCampaign(test.deps, now);
    signer = (
      await ensureLogKey(store.current().db, { origin: "letters.test/log", configuredKey: undefined }, now)
    ).signer;
    await integrateLog({ db: store.current().db, signer }, now);
    logUrl = `${await app.listen({ port: 0, host: "127.0.0.1" })}/log`;
    return () => app.close();
  });
  return { app: () => app, signer: () => signer, now: () => now, logUrl: () => logUrl };
}

/** Replaces the whole log with `entries`, signed with the real key: what a dishonest operator could do. */
export async function rewriteLog(
  store: Store,
  signer: SignerKey,
  entries: string[],
  now: Date,
): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom("log_entries").execute();
    await trx.deleteFrom("log_nodes").execute();
    await trx.updateTable("log_state").set({ size: 0 }).execute();
    await appendToLog(
      trx,
      signer,
      entries.map((e) => ({ entry: parseEntry(utf8(e))!, letterId: null, signatureId: null })),
      now,
    );
  });
}

type VerifierIo = { out(line: string): void; err(line: string): void; fetch: typeof fetch };

/** Runs a verifier with a terminal that keeps what it says, and answers its exit code and its lines as text. */
export async function runVerifier(command: (io: VerifierIo) => Promise<number>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await command({ out: (l) => out.push(l), err: (l) => err.push(l), fetch });
  return { code, out: out.join("\n"), err: err.join("\n") };
}
