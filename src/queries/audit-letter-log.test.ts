import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { insertEndorsement } from "../../test/endorsement-factory.ts";
import { insertSignableLetter } from "../../test/sign-on-factory.ts";
import { integrateLog } from "../commands/integrate-log.ts";
import { generateKeyPair, seal } from "../crypto/seal.ts";
import { utf8 } from "../domain/tlog/bytes.ts";
import { commitment } from "../domain/tlog/entries.ts";
import { appendToLog, ensureLogKey } from "../store/transparency-log.ts";
import { auditLetterLog } from "./audit-letter-log.ts";

const now = new Date("2026-03-02T10:00:00.000Z");

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`the coalition's audit of the log on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("matches every undisclosed commitment to a confirmed sealed record, and catches padding", async () => {
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      const { signer } = await ensureLogKey(db, { origin: "example.org/log", configuredKey: undefined }, now);
      const key = letter.keyPair.publicKey;
      for (const name of ["Quiet One", "Quiet Two", "Quiet Three"])
        await insertEndorsement(db, letter, key, { name, visibility: "undisclosed", state: "approved" });
      await insertEndorsement(db, letter, key, { name: "Open One", state: "approved" });
      const waiting = await insertEndorsement(db, letter, key, {
        name: "Quiet Four",
        visibility: "undisclosed",
        state: "confirmed",
      });
      await integrateLog({ db, signer }, now);
      await db
        .updateTable("signatures")
        .set({ state: "approved", counted: 1 })
        .where("id", "=", waiting)
        .execute();

      const clean = await auditLetterLog(store.current(), {
        letterSlug: letter.slug,
        keyPair: letter.keyPair,
      });
      expect(clean).toMatchObject({ counting: 3, matched: 3, unsalted: 0, waiting: 1, problems: [] });

      // Another campaign's key is refused before anything is opened.
      const stranger = await generateKeyPair();
      expect(await auditLetterLog(store.current(), { letterSlug: letter.slug, keyPair: stranger })).toBe(
        "this key file is not the key of the letter's campaign",
      );

      // The server pads: a commitment to nothing, a record sealed by itself that no endorsement stands behind,
      // and a withdrawn endorsement still counted in the log.
      const { idx: quietOne } = await db
        .selectFrom("log_entries")
        .select("idx")
        .where("kind", "=", "endorsement")
        .where("entry", "like", "%undisclosed%")
        .orderBy("idx")
        .executeTakeFirstOrThrow();
      const withdrawn = await db
        .selectFrom("log_entries")
        .select("signature_id")
        .where("idx", "=", quietOne)
        .executeTakeFirstOrThrow();
      await db
        .updateTable("signatures")
        .set({ state: "withdrawn" })
        .where("id", "=", withdrawn.signature_id!)
        .execute();
      const { log_name } = await db
        .selectFrom("letters")
        .select("log_name")
        .where("id", "=", letter.id)
        .executeTakeFirstOrThrow();
      const forged = await seal(JSON.stringify({ v: 1, name: "Nobody" }), key);
      const padding = (commit: string) => ({
        entry: {
          type: "undersigned/endorsement/v1" as const,
          letter: log_name!,
          visibility: "undisclosed" as const,
          signer: "organisation" as const,
          text: `${"A".repeat(43)}=`,
          day: "2026-03-02",
          commit,
        },
        letterId: letter.id,
        signatureId: null,
      });
      const twice = await db
        .selectFrom("signatures")
        .select("undisclosed_commit")
        .where("letter_id", "=", letter.id)
        .where("visibility", "=", "undisclosed")
        .where("state", "=", "approved")
        .where("id", "!=", waiting)
        .executeTakeFirstOrThrow();
      await db.transaction().execute(async (trx) => {
        await appendToLog(
          trx,
          signer,
          [
            padding(twice.undisclosed_commit!),
            padding(commitment(randomBytes(32), utf8("nothing"))),
            padding(commitment(randomBytes(32), utf8(forged))),
          ],
          now,
        );
      });
      const padded = await auditLetterLog(store.current(), {
        letterSlug: letter.slug,
        keyPair: letter.keyPair,
      });
      if (typeof padded === "string") throw new Error(padded);
      expect(padded.counting).toBe(6);
      expect(padded.matched).toBe(2);
      expect(padded.problems).toEqual([
        `entry ${quietOne}: its endorsement is withdrawn, not approved and counted`,
        expect.stringMatching(/^entry \d+: the same record as entry \d+$/),
        expect.stringMatching(/^entry \d+: no sealed record of this letter makes its commitment$/),
        expect.stringMatching(/^entry \d+: no sealed record of this letter makes its commitment$/),
      ]);
      // Nothing a record says is in the report.
      expect(JSON.stringify(padded)).not.toMatch(/Quiet|Nobody/);
    });
  });
}
