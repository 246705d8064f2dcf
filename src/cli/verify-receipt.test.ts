import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { rewriteLog, runVerifier, useServedExampleLog } from "../../test/served-log.ts";
import { getEndorsementProof } from "../queries/get-endorsement-proof.ts";
import { verifyReceiptCommand } from "./verify-receipt.ts";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`undersigned verify RECEIPT on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    const log = useServedExampleLog(store);
    const dir = mkdtempSync(path.join(os.tmpdir(), "undersigned-receipt-"));
    const statePath = path.join(dir, "state.json");
    const receiptPath = path.join(dir, "receipt.txt");
    let receipt: string;

    const verify = (...args: string[]) =>
      runVerifier((io) => verifyReceiptCommand([...args, "--state", statePath], io));

    beforeAll(async () => {
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
    });

    it("needs the log's key offline, takes it from the log, then checks offline with the one it kept", async () => {
      const unknown = await verify(receiptPath);
      expect(unknown.code).toBe(1);
      expect(unknown.err).toContain("no log key for this receipt");

      const online = await verify(receiptPath, "--log", log.logUrl());
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
      await rewriteLog(store.current(), log.signer(), kept, log.now());
      const gone = await verify(receiptPath, "--log", log.logUrl());
      expect(gone.code).toBe(1);
      expect(gone.err).toContain("does not contain the receipt's");
      expect(gone.err).toContain("is not consistent with the one seen before");
    });
  });
}
