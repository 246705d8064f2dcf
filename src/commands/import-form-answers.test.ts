import { describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { FORMS_MAP, formsExport, formsRow } from "../../test/forms-export.ts";
import { insertSignableLetter } from "../../test/sign-on-factory.ts";
import { generateKeyPair } from "../crypto/seal.ts";
import { matchKey } from "../domain/names.ts";
import { AnswersToConfirm, ImportRefused, importSignatures } from "./import-signatures.ts";

type ImportInput = Parameters<typeof importSignatures>[1];

// Late in the year, so both readings of every ambiguous date in the fixture are in the past.
const NOW = new Date("2026-12-31T00:00:00.000Z");
const YES_NO = { visibility: { yes: "listed", no: "undisclosed" } } as const;

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`importing a forms export's answers on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    async function letter() {
      const l = await insertSignableLetter(store.current().db);
      await store
        .current()
        .db.updateTable("letters")
        .set({ allow_undisclosed: 1 })
        .where("id", "=", l.id)
        .execute();
      return l;
    }

    const counts = async (letterId: number) => {
      const rows = await store
        .current()
        .db.selectFrom("signatures")
        .select(["visibility"])
        .where("letter_id", "=", letterId)
        .execute();
      return {
        listed: rows.filter((r) => r.visibility === "listed").length,
        undisclosed: rows.filter((r) => r.visibility === "undisclosed").length,
      };
    };

    /** Imports a forms export into letter `l`, as the command line does, with the coordinator's answers. */
    const importForms = (
      l: { slug: string },
      input: Pick<ImportInput, "answers" | "dates" | "key"> & { text: string },
    ) =>
      importSignatures(
        { store: store.current() },
        { actor: "cli", letterSlug: l.slug, status: "confirmed", map: FORMS_MAP, ...input },
        NOW,
      );

    it("imports nothing until the answers are confirmed, then takes Yes and No as confirmed", async () => {
      const l = await letter();
      const refused = await importForms(l, { text: formsExport(0, 30) }).catch((e) => e);
      expect(refused).toBeInstanceOf(AnswersToConfirm);
      expect((refused as AnswersToConfirm).answers).toEqual([
        { column: "visibility", header: FORMS_MAP.visibility, answer: "no", guess: "undisclosed" },
        { column: "visibility", header: FORMS_MAP.visibility, answer: "yes", guess: "listed" },
      ]);
      expect(await counts(l.id)).toEqual({ listed: 0, undisclosed: 0 });

      // Confirmed the other way round on purpose: the coordinator's word, not the guess, is what counts.
      const report = await importForms(l, {
        text: formsExport(0, 30),
        answers: { visibility: { yes: "undisclosed", no: "listed" } },
      });
      expect(report.imported).toBe(30);
      expect(await counts(l.id)).toEqual({ listed: 10, undisclosed: 20 });
    });

    it("stores unambiguous dates as they can only be read, ambiguous ones as no date, never swapped", async () => {
      const l = await letter();
      const report = await importForms(l, { answers: YES_NO, text: formsExport(0, 240) });
      expect(report).toMatchObject({ imported: 240, duplicates: 0, rejected: 0 });
      const undated = report.rows.filter((r) => r.code === "dateAmbiguous").map((r) => r.row - 2);
      const expectedUndated = [...Array(240).keys()].filter((i) => formsRow(i).signedAt === null);
      expect(expectedUndated.length).toBeGreaterThan(20);
      expect(undated).toEqual(expectedUndated);
      const stored = await store
        .current()
        .db.selectFrom("signatures")
        .select(["display_name", "confirmed_at", "created_at"])
        .where("letter_id", "=", l.id)
        .where("visibility", "=", "listed")
        .execute();
      for (const s of stored) {
        const i = Number(/Organisation (\d+)/.exec(s.display_name!)![1]);
        const expected = formsRow(i).signedAt;
        // A date left out is the day of the import; a date read is that date's day (times are coarsened).
        expect(String(s.confirmed_at).slice(0, 10), s.display_name!).toBe(
          (expected ?? NOW.toISOString()).slice(0, 10),
        );
      }
    });

    it("reads ambiguous dates as the coordinator answers", async () => {
      const l = await letter();
      const report = await importForms(l, {
        answers: YES_NO,
        dates: "month-first",
        text: formsExport(11, 12),
      });
      expect(formsRow(11)).toMatchObject({ timestamp: "3/12/2026 9:11:00", signedAt: null });
      expect(report.rows).toEqual([{ row: 2, outcome: "imported" }]);
      const stored = await store
        .current()
        .db.selectFrom("signatures")
        .select("confirmed_at")
        .where("letter_id", "=", l.id)
        .executeTakeFirstOrThrow();
      expect(String(stored.confirmed_at).slice(0, 10)).toBe("2026-03-12");
    });

    it("re-imports an updated export with the key: only new rows, undisclosed included; nothing testable stored", async () => {
      const keyPair = await generateKeyPair();
      const l = await insertSignableLetter(store.current().db, { keyPair });
      await store
        .current()
        .db.updateTable("letters")
        .set({ allow_undisclosed: 1 })
        .where("id", "=", l.id)
        .execute();
      const input = (text: string) => ({ answers: YES_NO, dates: "day-first" as const, key: keyPair, text });
      const first = await importForms(l, input(formsExport(0, 60)));
      expect(first).toMatchObject({ imported: 60, undisclosedWithoutKey: 0 });
      expect(await counts(l.id)).toEqual({ listed: 40, undisclosed: 20 });

      // The same form a week later: 15 more answers, and one early row's email corrected.
      const second = await importForms(l, input(formsExport(0, 75, 3)));
      expect(second).toMatchObject({ imported: 15, duplicates: 60, rejected: 0 });
      expect(second.rows.filter((r) => r.outcome === "imported").map((r) => r.row)).toEqual(
        [...Array(15).keys()].map((k) => 62 + k),
      );
      expect(await counts(l.id)).toEqual({ listed: 50, undisclosed: 25 });

      // What the server holds for an undisclosed row cannot be recomputed from a guessed name.
      const keyed = await store
        .current()
        .db.selectFrom("signatures")
        .select(["keyed_match_key", "match_key", "display_name"])
        .where("letter_id", "=", l.id)
        .where("visibility", "=", "undisclosed")
        .execute();
      expect(keyed.every((k) => /^[0-9a-f]{64}$/.test(k.keyed_match_key ?? ""))).toBe(true);
      expect(keyed.every((k) => k.match_key === null && k.display_name === null)).toBe(true);
      const everything = JSON.stringify(keyed);
      expect(everything.includes(matchKey(formsRow(0).name))).toBe(false);
    });

    it("without the key, says how many undisclosed rows a later import cannot recognise; refuses another campaign's key", async () => {
      const l = await letter();
      const base = { answers: YES_NO, dates: "month-first" as const };
      const report = await importForms(l, { ...base, text: formsExport(0, 9) });
      expect(report.undisclosedWithoutKey).toBe(3);
      const wrong = await importForms(l, {
        ...base,
        text: formsExport(9, 12),
        key: await generateKeyPair(),
      }).catch((e) => e);
      expect(wrong).toBeInstanceOf(ImportRefused);
      expect((wrong as ImportRefused).code).toBe("wrongKey");
    });
  });
}
