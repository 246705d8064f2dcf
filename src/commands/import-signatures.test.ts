import { describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { FORM_MAP, messyEndorsementFile } from "../../test/endorsement-csv.ts";
import { insertEndorsement } from "../../test/endorsement-factory.ts";
import { insertSignableLetter } from "../../test/sign-on-factory.ts";
import { signatureOf } from "../../test/signature-rows.ts";
import { openSealed } from "../crypto/seal.ts";
import { type BoxSealer, sealInThisThread } from "../crypto/sealing.ts";
import { matchKey } from "../domain/names.ts";
import { utf8 } from "../domain/tlog/bytes.ts";
import { commitment } from "../domain/tlog/entries.ts";
import { ImportRefused, importSignatures, type RowOutcome } from "./import-signatures.ts";

const NOW = new Date("2026-11-01T00:00:00.000Z");

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`importing endorsement files on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    async function letter() {
      const { db } = store.current();
      const l = await insertSignableLetter(store.current().db, { signers: "both" });
      await db.updateTable("letters").set({ allow_undisclosed: 1 }).where("id", "=", l.id).execute();
      return l;
    }

    it("imports a messy 1,000-row form export with an exact report, and a second import adds nothing", async () => {
      const { db } = store.current();
      const l = await letter();
      const file = messyEndorsementFile(1000);
      // Already on the letter: its row is a duplicate. A withdrawn endorsement holds no name.
      await insertEndorsement(db, l, l.keyPair.publicKey, { name: file.listedName, state: "approved" });
      await insertEndorsement(db, l, l.keyPair.publicKey, {
        name: "Civil Society Group 6, Yangon",
        state: "withdrawn",
      });
      const input = {
        actor: "cli" as const,
        letterSlug: l.slug,
        text: file.text,
        status: "confirmed" as const,
        map: FORM_MAP,
      };

      const first = await importSignatures({ store: store.current() }, input, NOW);
      expect({ imported: first.imported, duplicates: first.duplicates, rejected: first.rejected }).toEqual({
        imported: file.expected.imported - 1,
        duplicates: file.expected.duplicates + 1,
        rejected: file.expected.rejected,
      });
      expect(first.ignoredColumns).toEqual(["Any comments?"]);
      expect(first.rows).toHaveLength(first.imported + first.duplicates + first.rejected);
      expect(first.rows.filter((r) => r.outcome === "rejected").map((r) => r.reason)).toEqual([
        "name is empty",
        'kind "company" is neither "organisation" nor "individual", nor an answer mapped to one',
        'visibility "perhaps" is neither "listed" nor "undisclosed", nor an answer mapped to one',
        'signed_at "31/02/2026 10:00:00" is not a date and time this import reads, or is in the future',
        "email is not an email address",
        'country "Atlantis" is neither an ISO code nor a country\'s English name',
        'category "Elsewhere" is not one of Myanmar, regional, international',
      ]);
      // The Zawgyi spellings of the first two rows are duplicates of their Unicode spellings.
      expect(first.rows.at(-1)).toMatchObject({ outcome: "duplicate", reason: "repeats row 3" });

      const stored = await db
        .selectFrom("signatures")
        .selectAll()
        .where("letter_id", "=", l.id)
        .where("source", "=", "import")
        .execute();
      expect(stored).toHaveLength(first.imported);
      expect(stored.every((s) => s.state === "confirmed")).toBe(true);
      const burmese = stored.find((s) => s.display_name === "မြန်မာ့အမျိုးသမီးအဖွဲ့")!;
      expect(burmese.match_key).toBe(matchKey("မြန်မာ့အမျိုးသမီးအဖွဲ့"));
      const quoted = stored.find(
        (s) => s.display_name === 'Rivers, Forests "and" People Network 7 Ayeyarwady',
      )!;
      expect(quoted).toMatchObject({ kind: "organisation", country: "MM", category: "regional" });
      // Row 3 (i = 1): "13/02/2026"-style day-first, read in UTC.
      const row = stored.find((s) => s.display_name === "Civil Society Group 9, Yangon")!;
      expect(row.confirmed_at).toBe("2026-01-22T00:00:00.000Z");
      expect(row.country).toBe("MM");
      const thai = stored.find((s) => s.display_name === "Civil Society Group 10, Yangon")!;
      expect(thai).toMatchObject({ country: "TH", category: "regional" });
      expect(stored.find((s) => s.display_name === "Civil Society Group 6, Yangon")).toBeDefined();

      const undisclosed = stored.filter((s) => s.visibility === "undisclosed");
      expect(undisclosed).toHaveLength(file.undisclosedNames.length);
      for (const s of undisclosed) {
        expect(s).toMatchObject({
          display_name: null,
          match_key: null,
          category: null,
          country: null,
          website: null,
        });
      }
      // Rows are numbered in no particular order: every sealed identity opens, and they are the file's names.
      const opened = await Promise.all(
        undisclosed.map(async (s) => JSON.parse(await openSealed(s.sealed_identity!, l.keyPair))),
      );
      expect(opened[0]).toMatchObject({ v: 1, kind: "organisation" });
      expect(opened.map((o) => o.name).sort()).toEqual([...file.undisclosedNames].sort());
      // The log commitment's salt is sealed inside each; the row keeps only the commitment it makes.
      for (const [i, s] of undisclosed.entries()) {
        expect(s.undisclosed_commit).toBe(
          commitment(Buffer.from(opened[i].salt, "base64"), utf8(s.sealed_identity!)),
        );
        expect(JSON.stringify(s)).not.toContain(opened[i].salt);
      }

      const audit = await db
        .selectFrom("audit_entries")
        .selectAll()
        .where("action", "=", "signature.import")
        .execute();
      expect(audit).toHaveLength(1);
      expect(Object.keys(JSON.parse(audit[0]!.detail)).sort()).toEqual([
        "duplicates",
        "file_sha256",
        "imported",
        "rejected",
        "status",
      ]);

      const second = await importSignatures({ store: store.current() }, input, NOW);
      expect(second.imported).toBe(0);
      expect(second.rejected).toBe(file.expected.rejected);
      expect(second.duplicates).toBe(first.imported + first.duplicates);
      const after = await db.selectFrom("signatures").select("id").where("letter_id", "=", l.id).execute();
      expect(after).toHaveLength(stored.length + 2);
    });

    it("numbers imported rows below the sign form's random ids, so they never continue after one", async () => {
      const { db } = store.current();
      const l = await letter();
      const first = messyEndorsementFile(20);
      await importSignatures(
        { store: store.current() },
        { actor: "cli", letterSlug: l.slug, text: first.text, status: "approved", map: FORM_MAP },
        NOW,
      );
      const before = await db.selectFrom("signatures").select("id").where("letter_id", "=", l.id).execute();
      // An endorsement through the sign form takes a random id in this range (commands/sign-letter.ts).
      const highest = Math.max(...before.map((r) => r.id));
      await db.updateTable("signatures").set({ id: 700_000_000 }).where("id", "=", highest).execute();
      const second = await insertSignableLetter(db, { signers: "both" });
      await db.updateTable("letters").set({ allow_undisclosed: 1 }).where("id", "=", second.id).execute();
      await importSignatures(
        { store: store.current() },
        { actor: "cli", letterSlug: second.slug, text: first.text, status: "approved", map: FORM_MAP },
        NOW,
      );
      const added = await db
        .selectFrom("signatures")
        .select("id")
        .where("letter_id", "=", second.id)
        .execute();
      expect(added.length).toBeGreaterThan(10);
      for (const row of added) expect(row.id).toBeLessThan(100_000_000);
    });

    it("keeps every imported row's signing time to the day and numbers the rows out of the file's order", async () => {
      const { db } = store.current();
      const l = await letter();
      // A sheet in the order people signed, listed and undisclosed interleaved, minutes apart on one day.
      const names = Array.from({ length: 40 }, (_, i) => `Network ${String(i).padStart(2, "0")}`);
      const text = [
        "name,kind,visibility,signed_at,email",
        ...names.map(
          (name, i) =>
            `${name},organisation,${i % 3 === 1 ? "undisclosed" : "listed"},3/14/2026 9:${String(i).padStart(2, "0")}:00,n${i}@example.org`,
        ),
      ].join("\n");
      const result = await importSignatures(
        { store: store.current() },
        { actor: "cli", letterSlug: l.slug, text, status: "approved", map: {} },
        NOW,
      );
      expect(result.rows.filter((r) => r.outcome === "imported")).toHaveLength(40);
      const rows = await db
        .selectFrom("signatures")
        .select(["id", "display_name", "confirmed_at"])
        .where("letter_id", "=", l.id)
        .orderBy("id")
        .execute();
      // A listed neighbour's exact time would bracket an undisclosed row between its two neighbours.
      expect(new Set(rows.map((r) => r.confirmed_at))).toEqual(new Set(["2026-03-14T00:00:00.000Z"]));
      // Ids in the file's order would tell where each undisclosed row stood among the listed ones.
      const listedOrder = rows.flatMap((r) => (r.display_name ? [r.display_name] : []));
      expect(listedOrder).toHaveLength(names.length - 13);
      expect(listedOrder).not.toEqual([...listedOrder].sort());
    });

    it("never stores an undisclosed row's identity or contact in the clear, nor anything derived from it", async () => {
      const { db } = store.current();
      const l = await letter();
      const file = messyEndorsementFile(200);
      await importSignatures(
        { store: store.current() },
        { actor: "cli", letterSlug: l.slug, text: file.text, status: "approved", map: FORM_MAP },
        NOW,
      );
      const everything = JSON.stringify([
        await db.selectFrom("signatures").selectAll().execute(),
        await db.selectFrom("audit_entries").selectAll().execute(),
      ]);
      expect(file.undisclosedNames.length).toBeGreaterThan(10);
      for (const name of file.undisclosedNames) {
        // Boolean checks: a failure names the row without dumping the database into the log.
        expect(everything.includes(name), name).toBe(false);
        expect(everything.includes(matchKey(name)), name).toBe(false);
      }
      // The email address of an undisclosed row (i = 4) and of a listed one are sealed alike.
      expect(everything.includes("office4@example.org")).toBe(false);
      expect(everything.includes("office5@example.org")).toBe(false);
    });

    it("reads canonical headers without --map, and refuses files it cannot read", async () => {
      const { db } = store.current();
      const l = await letter();
      const text =
        "name,kind,visibility,signed_at,email\nAthan Media,organisation,listed,3/14/2026 9:05:00,a@athan.org\n";
      const report = await importSignatures(
        { store: store.current() },
        { actor: "cli", letterSlug: l.slug, text, status: "approved", map: {} },
        NOW,
      );
      expect(report.rows).toEqual([{ row: 2, outcome: "imported" }]);
      const row = await signatureOf(db, l.id);
      expect(row).toMatchObject({
        display_name: "Athan Media",
        state: "approved",
        confirmed_at: "2026-03-14T00:00:00.000Z",
      });

      const refuse = (text: string, map = {}) =>
        importSignatures(
          { store: store.current() },
          { actor: "cli", letterSlug: l.slug, text, status: "confirmed", map },
          NOW,
        );
      await expect(refuse('name\n"Never closed\n')).rejects.toThrow(
        /record 2: a quoted field is never closed/,
      );
      await expect(refuse("organisation\nX\n")).rejects.toThrow(/no "name" column/);
      await expect(refuse("name\nX\n", { name: "Org" })).rejects.toThrow(/no column "Org"/);
      await expect(refuse("")).rejects.toBeInstanceOf(ImportRefused);
      await expect(
        importSignatures(
          { store: store.current() },
          { actor: "cli", letterSlug: "nope", text, status: "confirmed", map: {} },
          NOW,
        ),
      ).rejects.toMatchObject({ usage: true });
    });

    it("finishes an import cut short when run again, with exactly the rows of one uninterrupted run", async () => {
      const { db } = store.current();
      const file = messyEndorsementFile(2_500);
      const cut = await letter();
      const whole = await letter();
      const input = (slug: string) => ({
        actor: "cli" as const,
        letterSlug: slug,
        text: file.text,
        status: "confirmed" as const,
        map: FORM_MAP,
      });
      // The second batch's sealing fails, as a crash or a killed process would stop it.
      let batches = 0;
      const failing: BoxSealer = async (plaintexts, publicKey) => {
        if (++batches === 2) throw new Error("killed");
        return sealInThisThread(plaintexts, publicKey);
      };
      const printed: RowOutcome[] = [];
      await expect(
        importSignatures(
          { store: store.current() },
          { ...input(cut.slug), sealer: failing, onRows: (rows) => printed.push(...rows) },
          NOW,
        ),
      ).rejects.toThrow("killed");
      const afterCrash = await db
        .selectFrom("signatures")
        .select("id")
        .where("letter_id", "=", cut.id)
        .execute();
      // The first batch is in, and only it: its rows and its checkpoint committed together.
      expect(afterCrash.length).toBe(printed.filter((r) => r.outcome === "imported").length);
      expect(afterCrash.length).toBeGreaterThan(0);
      const record = await db
        .selectFrom("imports")
        .selectAll()
        .where("letter_id", "=", cut.id)
        .executeTakeFirstOrThrow();
      expect(record).toMatchObject({ state: "running", rows_done: Math.max(...printed.map((r) => r.row)) });

      const resumed: RowOutcome[] = [];
      const finished = await importSignatures(
        { store: store.current() },
        { ...input(cut.slug), onRows: (rows) => resumed.push(...rows) },
        NOW,
      );
      expect(resumed.every((r) => r.row > record.rows_done)).toBe(true);
      // Repeats of rows from before the crash are still found as repeats within the file.
      expect(resumed.filter((r) => r.code === "repeats").length).toBeGreaterThan(0);
      expect(resumed.some((r) => r.code === "onLetter")).toBe(false);
      const clean = await importSignatures({ store: store.current() }, input(whole.slug), NOW);
      expect({
        imported: finished.imported,
        duplicates: finished.duplicates,
        rejected: finished.rejected,
      }).toEqual({ imported: clean.imported, duplicates: clean.duplicates, rejected: clean.rejected });
      expect(clean).toMatchObject(file.expected);
      const rowsOf = async (letterId: number) =>
        (
          await db
            .selectFrom("signatures")
            .select(["display_name", "visibility", "kind", "confirmed_at", "category", "country"])
            .where("letter_id", "=", letterId)
            .execute()
        )
          .map((r) => JSON.stringify(r))
          .sort();
      expect(await rowsOf(cut.id)).toEqual(await rowsOf(whole.id));
      expect(
        await db
          .selectFrom("imports")
          .select(["state", "imported"])
          .where("letter_id", "=", cut.id)
          .execute(),
      ).toEqual([{ state: "done", imported: clean.imported }]);

      // Once finished, the same file again adds nothing.
      const again = await importSignatures({ store: store.current() }, input(cut.slug), NOW);
      expect(again.imported).toBe(0);
      expect((await rowsOf(cut.id)).length).toBe(clean.imported);
    });
  });
}
