import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, openAndConfirm, type TestApp } from "../../../../test/app.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { mailedTextTo, manageLinkOf, postSignForm, signFormOf } from "../../../../test/sign-form.ts";
import { insertSignableLetter } from "../../../../test/sign-on-factory.ts";
import { approveSignature } from "../../../commands/approve-signature.ts";
import { integrateLog } from "../../../commands/integrate-log.ts";
import { openSealed } from "../../../crypto/seal.ts";
import { fromBase64, utf8 } from "../../../domain/tlog/bytes.ts";
import { commitment } from "../../../domain/tlog/entries.ts";
import { generateSigner, parseVerifierKey, type SignerKey } from "../../../domain/tlog/note.ts";
import { checkReceipt, isConsistent } from "../../../domain/tlog/receipt.ts";
import { type TileAddress, tilePath } from "../../../domain/tlog/tiles.ts";
import { ensureLogKey } from "../../../store/transparency-log.ts";

/*
 * An undisclosed organisation signs, is approved, and finds its receipt in the log on its private page: a
 * tlog-proof that verifies against the log's key and the newest checkpoint, and the commitment's salt, which
 * the sealed record holds and no column of the database holds readable.
 */

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`receipts in the transparency log on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    let test: TestApp;
    let letter: Awaited<ReturnType<typeof insertSignableLetter>>;
    let signer: SignerKey;

    beforeAll(async () => {
      test = await buildTestApp(store.current(), store.dataDir());
      test.clock.now = new Date("2026-03-02T08:00:00.000Z");
      letter = await insertSignableLetter(store.current().db, { moderation: true });
      signer = (
        await ensureLogKey(
          store.current().db,
          { origin: "localhost/log", configuredKey: undefined },
          test.clock.now,
        )
      ).signer;
      return () => test.app.close();
    });

    const get = (url: string) => test.app.inject({ method: "GET", url });
    const readTile = async (tile: TileAddress) => {
      const res = await get(`/log/${tilePath(tile)}`);
      expect(res.statusCode).toBe(200);
      return new Uint8Array(res.rawPayload);
    };

    async function signAndConfirm(name: string): Promise<{ manage: string; id: number }> {
      const page = await get(`/letters/${letter.slug}/sign`);
      test.clock.now = new Date(test.clock.now.getTime() + 20_000);
      const email = `${name.toLowerCase().replace(/\W+/g, ".")}@example.org`;
      const res = await postSignForm(test.app, letter.slug, signFormOf(page), {
        kind: "organisation",
        visibility: "undisclosed",
        name,
        category: "Myanmar",
        country: "MM",
        email,
        consent: "yes",
      });
      expect(res.statusCode).toBe(303);
      const link = /https?:\/\/[^/\s]+(\/letters\/\S+\/confirm\/\S+)/.exec(
        await mailedTextTo(store.current().db, email),
      )![1]!;
      const { receipt } = await openAndConfirm(test.app, link);
      expect(receipt.statusCode).toBe(200);
      // Not counted yet, so not in the log: the receipt says when it will be.
      expect(receipt.body).toContain("enters the public log once it counts");
      expect(receipt.body).not.toContain("c2sp.org/tlog-proof@v1");
      return manageLinkOf(store.current().db, receipt.body);
    }

    it("shows the receipt and salt once approved and logged, and the receipt verifies", async () => {
      const { db } = store.current();
      const mine = await signAndConfirm("Quiet Harbour Network");
      await approveSignature(test.deps, { actor: "cli", signatureId: mine.id }, test.clock.now);
      await integrateLog({ db, signer }, test.clock.now);

      const page = await get(mine.manage);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain("c2sp.org/tlog-proof@v1");
      expect(page.body).toContain(`href="/letters/${letter.slug}/verify" rel="noreferrer"`);
      const salt = /<dd><code>([A-Za-z0-9+/]{43}=)<\/code><\/dd>/.exec(page.body)![1]!;

      const file = await get(`${mine.manage}/receipt`);
      expect(file.statusCode).toBe(200);
      expect(file.headers["content-disposition"]).toMatch(/^attachment; filename="receipt-[0-9A-F-]+\.txt"$/);
      expect(file.headers["cache-control"]).toBe("no-store");
      const key = parseVerifierKey((await get("/log/key")).body)!;
      const check = checkReceipt(file.body, [key]);
      if (!check.ok) throw new Error(`receipt refused: ${check.problem}`);
      expect(check.entry).toMatchObject({ visibility: "undisclosed", signer: "organisation" });

      // The salt is the one inside the sealed record, and with the record it makes the logged commitment.
      const row = await db
        .selectFrom("signatures")
        .selectAll()
        .where("id", "=", mine.id)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(await openSealed(row.sealed_identity!, letter.keyPair)).salt).toBe(salt);
      expect(check.entry.type === "undersigned/endorsement/v1" && check.entry.commit).toBe(
        commitment(fromBase64(salt)!, utf8(row.sealed_identity!)),
      );
      // …and the database holds it nowhere readable.
      const everything = JSON.stringify([
        await db.selectFrom("signatures").selectAll().execute(),
        await db.selectFrom("log_entries").selectAll().execute(),
        await db.selectFrom("signer_events").selectAll().execute(),
      ]);
      expect(everything).not.toContain(salt);
      expect(everything).not.toContain(Buffer.from(salt, "base64").toString("base64url"));

      // A changed entry, another key or a changed index: refused.
      const changed = file.body.replace(/^extra (\S+)$/m, (_, b64: string) => {
        const text = Buffer.from(b64, "base64").toString("utf8").replace("organisation", "individual");
        return `extra ${Buffer.from(text).toString("base64")}`;
      });
      expect(checkReceipt(changed, [key])).toEqual({ ok: false, problem: "inclusion" });
      const stranger = generateSigner("localhost/log");
      expect(checkReceipt(file.body, [stranger])).toEqual({ ok: false, problem: "signature" });
      expect(checkReceipt("c2sp.org/tlog-proof@v1\nindex x\n", [key])).toEqual({
        ok: false,
        problem: "format",
      });

      // The log grows; the receipt's tree stays a prefix of the newest, proved from the public tiles.
      const other = await signAndConfirm("Second Quiet Group");
      await approveSignature(test.deps, { actor: "cli", signatureId: other.id }, test.clock.now);
      await integrateLog({ db, signer }, test.clock.now);
      const newest = checkReceipt((await get(`${other.manage}/receipt`)).body, [key]);
      if (!newest.ok) throw new Error(newest.problem);
      expect(newest.checkpoint.size).toBeGreaterThan(check.checkpoint.size);
      expect(await isConsistent(check.checkpoint, newest.checkpoint, readTile)).toBe(true);
      const forged = { ...newest.checkpoint, root: new Uint8Array(32) };
      expect(await isConsistent(check.checkpoint, forged, readTile)).toBe(false);
    });

    it("serves no receipt file for an endorsement not in the log, nor for an unknown link", async () => {
      const pending = await signAndConfirm("Waiting Collective");
      expect((await get(`${pending.manage}/receipt`)).statusCode).toBe(404);
      expect((await get(`/letters/${letter.slug}/manage/not-a-token/receipt`)).statusCode).toBe(410);
    });
  });
}
