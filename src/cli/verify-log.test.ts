import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp } from "../../test/app.ts";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { createExampleCampaign } from "../commands/create-example-campaign.ts";
import { integrateLog } from "../commands/integrate-log.ts";
import { EXAMPLE_LETTER } from "../domain/example-letter.ts";
import { utf8 } from "../domain/tlog/bytes.ts";
import { parseEntry } from "../domain/tlog/entries.ts";
import type { SignerKey } from "../domain/tlog/note.ts";
import type { Store } from "../store/db.ts";
import { appendToLog, ensureLogKey } from "../store/transparency-log.ts";
import { verifyLogCommand } from "./verify-log.ts";

/** Replaces the whole log with `entries`, signed with the real key: what a dishonest operator could do. */
async function rewriteLog(store: Store, signer: SignerKey, entries: string[], now: Date) {
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

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`undersigned verify --log on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    let app: FastifyInstance;
    let signer: SignerKey;
    let now: Date;
    let logUrl: string;
    let letter: string;
    const statePath = path.join(mkdtempSync(path.join(os.tmpdir(), "undersigned-verify-")), "state.json");

    const verify = async () => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await verifyLogCommand(
        ["--log", logUrl, "--letter", letter, "--slug", EXAMPLE_LETTER.slug, "--state", statePath],
        {
          out: (l) => out.push(l),
          err: (l) => err.push(l),
          fetch,
        },
      );
      return { code, out: out.join("\n"), err: err.join("\n") };
    };

    beforeAll(async () => {
      const test = await buildTestApp(store.current(), store.dataDir());
      app = test.app;
      now = test.clock.now;
      await createExampleCampaign(test.deps, now);
      signer = (
        await ensureLogKey(store.current().db, { origin: "letters.test/log", configuredKey: undefined }, now)
      ).signer;
      await integrateLog({ db: store.current().db, signer }, now);
      const address = await app.listen({ port: 0, host: "127.0.0.1" });
      logUrl = `${address}/log`;
      letter = (await app.inject({ method: "GET", url: `/api/v1/letters/${EXAMPLE_LETTER.slug}` })).json().log
        .letter;
      return () => app.close();
    });

    it("recounts the letter from the tiles, agrees with the site, and remembers the checkpoint", async () => {
      const first = await verify();
      expect(first.err).toBe("");
      expect(first.code).toBe(0);
      expect(first.out).toContain(`letter ${letter}: 65 counted (40 listed, 25 undisclosed)`);
      expect((await verify()).code).toBe(0);
    });

    it("catches a changed entry", async () => {
      const db = store.current().db;
      const row = await db
        .selectFrom("log_entries")
        .select(["idx", "entry"])
        .where("idx", "=", 3)
        .executeTakeFirstOrThrow();
      await db
        .updateTable("log_entries")
        .set({ entry: row.entry.replace(/day \S+/, "day 2020-01-01") })
        .where("idx", "=", 3)
        .execute();
      const result = await verify();
      expect(result.code).toBe(1);
      expect(result.err).toMatch(/do not hash to the checkpoint's root/);
      await db.updateTable("log_entries").set({ entry: row.entry }).where("idx", "=", 3).execute();
      expect((await verify()).code).toBe(0);
    });

    it("catches a deleted entry even when the log re-signs what is left", async () => {
      const db = store.current().db;
      const entries = (await db.selectFrom("log_entries").select("entry").orderBy("idx").execute()).map(
        (r) => r.entry,
      );
      await rewriteLog(store.current(), signer, [...entries.slice(0, 5), ...entries.slice(6)], now);
      const shrunk = await verify();
      expect(shrunk.code).toBe(1);
      expect(shrunk.err).toMatch(/the log shrank/);
      // Padding the tree back to a larger size does not help: its history is not the one seen before.
      await rewriteLog(
        store.current(),
        signer,
        [...entries.slice(0, 5), ...entries.slice(6), entries[5]!, entries[5]!],
        now,
      );
      const rewritten = await verify();
      expect(rewritten.code).toBe(1);
      expect(rewritten.err).toMatch(/rewrote its history/);
    });
  });
}
