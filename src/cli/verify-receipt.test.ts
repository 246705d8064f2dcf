import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp } from "../../test/app.ts";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { createExampleCampaign } from "../commands/create-example-campaign.ts";
import { integrateLog } from "../commands/integrate-log.ts";
import { utf8 } from "../domain/tlog/bytes.ts";
import { parseEntry } from "../domain/tlog/entries.ts";
import type { SignerKey } from "../domain/tlog/note.ts";
import { getEndorsementProof } from "../queries/get-endorsement-proof.ts";
import { appendToLog, ensureLogKey } from "../store/transparency-log.ts";
import { verifyReceiptCommand } from "./verify-receipt.ts";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`undersigned verify RECEIPT on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    let app: FastifyInstance;
    let signer: SignerKey;
    let now: Date;
    let logUrl: string;
    const dir = mkdtempSync(path.join(os.tmpdir(), "undersigned-receipt-"));
    const statePath = path.join(dir, "state.json");
    const receiptPath = path.join(dir, "receipt.txt");
    let receipt: string;

    const verify = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await verifyReceiptCommand([...args, "--state", statePath], {
        out: (l) => out.push(l),
        err: (l) => err.push(l),
        fetch,
      });
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
      logUrl = `${await app.listen({ port: 0, host: "127.0.0.1" })}/log`;
      const undisclosed = await store
        .current()
        .db.selectFrom("log_entries")
        .select("signature_id")
        .where("kind", "=", "endorsement")
        .where("entry", "like", "%visibility undisclosed%")
        .orderBy("idx")
        .executeTakeFirstOrThrow();
      receipt = (await getEndorsementProof(store.current().db, undisclosed.signature_id!))!.proof;
      writeFileSync(receiptPath, receipt);
      return () => app.close();
    });

    it("needs the log's key offline, takes it from the log, then checks offline with the one it kept", async () => {
      const unknown = await verify(receiptPath);
      expect(unknown.code).toBe(1);
      expect(unknown.err).toContain("no log key for this receipt");

      const online = await verify(receiptPath, "--log", logUrl);
      expect(online.err).toBe("");
      expect(online.code).toBe(0);
      expect(online.out).toMatch(
        /^entry \d+: undisclosed organisation endorsement of \S+, day \d{4}-\d{2}-\d{2}$/m,
      );
      expect(online.out).toContain("still holds it");

      const offline = await verify(receiptPath);
      expect(offline.code).toBe(0);
      expect(offline.out).toContain("OK: the log's key signed a tree that holds this entry");
    });

    it("refuses a changed receipt and a receipt the log no longer holds", async () => {
      const changedPath = path.join(dir, "changed.txt");
      writeFileSync(
        changedPath,
        receipt.replace(/^extra (\S+)$/m, (_, b64: string) => {
          const text = Buffer.from(b64, "base64")
            .toString("utf8")
            .replace(/day \S+/, "day 2020-01-01");
          return `extra ${Buffer.from(text).toString("base64")}`;
        }),
      );
      const changed = await verify(changedPath);
      expect(changed.code).toBe(1);
      expect(changed.err).toContain("the entry is not in the tree the checkpoint names");
      writeFileSync(changedPath, "not a receipt\n");
      expect((await verify(changedPath)).err).toContain("is not a transparency-log receipt");

      // The operator deletes the receipt's entry and re-signs what is left, larger than before.
      const db = store.current().db;
      const entries = (await db.selectFrom("log_entries").select("entry").orderBy("idx").execute()).map(
        (r) => r.entry,
      );
      const index = Number(/^index (\d+)$/m.exec(receipt)![1]);
      const kept = [...entries.slice(0, index), ...entries.slice(index + 1), entries[0]!, entries[0]!];
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom("log_entries").execute();
        await trx.deleteFrom("log_nodes").execute();
        await trx.updateTable("log_state").set({ size: 0 }).execute();
        await appendToLog(
          trx,
          signer,
          kept.map((e) => ({ entry: parseEntry(utf8(e))!, letterId: null, signatureId: null })),
          now,
        );
      });
      const gone = await verify(receiptPath, "--log", logUrl);
      expect(gone.code).toBe(1);
      expect(gone.err).toContain("does not contain the receipt's");
      expect(gone.err).toContain("is not consistent with the one seen before");
    });
  });
}
