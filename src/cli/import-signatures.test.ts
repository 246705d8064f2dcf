import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { FORM_MAP } from "../../test/endorsement-csv.ts";
import { messyEndorsementWorkbook } from "../../test/endorsement-xlsx.ts";
import { FORMS_MAP, formsExport } from "../../test/forms-export.ts";
import { insertSignableLetter } from "../../test/sign-on-factory.ts";
import { signatureOf } from "../../test/signature-rows.ts";
import { createKeyFile } from "../crypto/coalition-key.ts";
import { importSignaturesCommand } from "./import-signatures.ts";

const PASSPHRASE = "correct horse battery staple, twice over";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`undersigned import signatures on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    function run(argv: string[]) {
      const out: string[] = [];
      const err: string[] = [];
      const env = {
        DATA_DIR: store.dataDir(),
        ...(store.databaseUrl() ? { DATABASE_URL: store.databaseUrl()! } : {}),
      };
      return importSignaturesCommand(argv, {
        out: (t) => out.push(t),
        err: (l) => err.push(l),
        now: () => new Date("2026-11-01T00:00:00Z"),
        env,
      }).then((code) => ({ code, out: out.join(""), err: err.join("\n") }));
    }

    it("maps form headers with --map, prints a line per row and the summary", async () => {
      const letter = await insertSignableLetter(store.current().db);
      const file = path.join(store.dataDir(), "form.csv");
      writeFileSync(
        file,
        '\uFEFFTimestamp,Organisation name,Comments\r\n14/03/2026 10:00:00,"Athan, Media",hi\r\n14/03/2026 10:01:00,"Athan, Media",again\r\n,,\r\n15/03/2026 25:00:00,Late Org,\r\n',
      );
      const result = await run([
        file,
        "--letter",
        letter.slug,
        "--map",
        "name=Organisation name",
        "--map",
        "signed_at=timestamp",
      ]);
      expect(result.code).toBe(0);
      expect(result.out).toBe(
        [
          "row 2: imported",
          "row 3: duplicate: repeats row 2",
          'row 5: rejected: signed_at "15/03/2026 25:00:00" is not a date and time this import reads, or is in the future',
          "imported 1, duplicates 1, rejected 1",
          "",
        ].join("\n"),
      );
      expect(result.err).toContain("ignored columns: Comments");
      const row = await signatureOf(store.current().db, letter.id);
      expect(row).toMatchObject({
        display_name: "Athan, Media",
        source: "import",
        state: "confirmed",
        confirmed_at: "2026-03-14T00:00:00.000Z",
      });
    });

    it("imports the messy 1,000-row form export saved as XLSX, and a second run adds nothing", async () => {
      const letter = await insertSignableLetter(store.current().db, { signers: "both" });
      await store
        .current()
        .db.updateTable("letters")
        .set({ allow_undisclosed: 1 })
        .where("id", "=", letter.id)
        .execute();
      const workbook = await messyEndorsementWorkbook(1000);
      const file = path.join(store.dataDir(), "responses.xlsx");
      writeFileSync(file, workbook.bytes);
      const argv = [file, "--letter", letter.slug];
      for (const [column, header] of Object.entries(FORM_MAP)) argv.push("--map", `${column}=${header}`);
      const first = await run(argv);
      expect(first.code).toBe(0);
      const { imported, duplicates, rejected } = workbook.expected;
      expect(first.out).toContain(`imported ${imported}, duplicates ${duplicates}, rejected ${rejected}\n`);
      expect(first.out).toContain('row 394: rejected: signed_at "31/02/2026 10:00:00" is not a date');
      const second = await run(argv);
      expect(second.out).toContain(`imported 0, duplicates ${imported + duplicates}, rejected ${rejected}\n`);
      const stored = await store
        .current()
        .db.selectFrom("signatures")
        .select(["display_name", "confirmed_at", "visibility"])
        .where("letter_id", "=", letter.id)
        .execute();
      expect(stored).toHaveLength(imported);
      // Row 2's timestamp was a date cell; row 17's (i = 15) a bare serial number: both read as UTC.
      expect(stored.find((s) => s.display_name === "မြန်မာ့အမျိုးသမီးအဖွဲ့")?.confirmed_at).toBe(
        "2026-01-13T00:00:00.000Z",
      );
      expect(stored.find((s) => s.display_name === "Civil Society Group 15, Yangon")?.confirmed_at).toBe(
        "2026-07-13T00:00:00.000Z",
      );
      for (const name of workbook.undisclosedNames)
        expect(stored.some((s) => s.display_name === name)).toBe(false);
    });

    it("asks to confirm a form's answers, then re-imports an updated export with the key adding only new rows", async () => {
      const { keyPair, file: keyFile } = await createKeyFile(PASSPHRASE, {
        now: new Date(),
        strength: "interactive",
      });
      const letter = await insertSignableLetter(store.current().db, { keyPair });
      const { db } = store.current();
      await db.updateTable("letters").set({ allow_undisclosed: 1 }).where("id", "=", letter.id).execute();
      const keyPath = path.join(store.dataDir(), "coalition-key.json");
      writeFileSync(keyPath, JSON.stringify(keyFile));
      const passPath = path.join(store.dataDir(), "passphrase.txt");
      writeFileSync(passPath, `${PASSPHRASE}\n`);
      const first = path.join(store.dataDir(), "form-week-1.csv");
      writeFileSync(first, formsExport(0, 30));
      const second = path.join(store.dataDir(), "form-week-2.csv");
      writeFileSync(second, formsExport(0, 42, 6));

      const maps = Object.entries(FORMS_MAP).flatMap(([column, header]) => ["--map", `${column}=${header}`]);
      const unconfirmed = await run([first, "--letter", letter.slug, ...maps]);
      expect(unconfirmed.code).toBe(2);
      expect(unconfirmed.err).toContain("nothing was imported; confirm what these answers mean first");
      expect(unconfirmed.err).toContain('--value "visibility:yes=listed"');
      expect(unconfirmed.err).toContain('--value "visibility:no=undisclosed"');
      expect(
        await db.selectFrom("signatures").select("id").where("letter_id", "=", letter.id).execute(),
      ).toHaveLength(0);

      const confirmed = [
        "--letter",
        letter.slug,
        ...maps,
        "--value",
        "visibility:Yes=listed",
        "--value",
        "visibility:No=undisclosed",
        "--key",
        keyPath,
        "--passphrase-file",
        passPath,
      ];
      const week1 = await run([first, ...confirmed]);
      expect(week1.code).toBe(0);
      expect(week1.out).toContain("imported 30, duplicates 0, rejected 0\n");
      // The file mixes day-first and month-first exports: its ambiguous dates are left out and reported.
      expect(week1.out).toContain('row 17: imported: imported without a date: "7/4/2026 13:15:00" could be');
      expect(week1.err).toMatch(/\d+ rows imported without a date/);
      const week2 = await run([second, ...confirmed, "--dates", "mdy"]);
      expect(week2.code).toBe(0);
      expect(week2.out).toContain("imported 12, duplicates 30, rejected 0\n");
      const rows = await db
        .selectFrom("signatures")
        .select("visibility")
        .where("letter_id", "=", letter.id)
        .execute();
      expect(rows.filter((r) => r.visibility === "undisclosed")).toHaveLength(14);
      expect(rows).toHaveLength(42);
    });

    it("exits 2 on usage and file errors, naming the problem", async () => {
      const letter = await insertSignableLetter(store.current().db);
      const csv = path.join(store.dataDir(), "ok.csv");
      writeFileSync(csv, "name\nX\n");
      const latin1 = path.join(store.dataDir(), "latin1.csv");
      writeFileSync(latin1, Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xe9, 0x0a]));
      const xls = path.join(store.dataDir(), "sheet.xls");
      writeFileSync(xls, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
      const cases: [string[], RegExp][] = [
        [[csv], /--letter SLUG are required/],
        [[csv, "--letter", letter.slug, "--status", "listed"], /--status is confirmed or approved/],
        [[csv, "--letter", letter.slug, "--map", "nom=Name"], /--map nom=Name: expected column=Header/],
        [[xls, "--letter", letter.slug], /old Excel \(\.xls\) file; save it as \.xlsx or as CSV UTF-8/],
        [[path.join(store.dataDir(), "missing.csv"), "--letter", letter.slug], /there is no file/],
        [[latin1, "--letter", letter.slug], /is not UTF-8 text/],
        [[csv, "--letter", "no-such-letter"], /there is no letter "no-such-letter"/],
        [
          [csv, "--letter", letter.slug, "--map", "name=Organisation"],
          /the file has no column "Organisation"/,
        ],
        [[csv, "--letter", letter.slug, "--value", "visibility:Yes=public"], /--value visibility:Yes=public/],
        [[csv, "--letter", letter.slug, "--value", "name:Yes=listed"], /--value name:Yes=listed/],
        [[csv, "--letter", letter.slug, "--dates", "ymd"], /--dates is dmy or mdy/],
        [[csv, "--letter", letter.slug, "--passphrase-file", csv], /--passphrase-file goes with --key/],
      ];
      for (const [argv, message] of cases) {
        const result = await run(argv);
        expect(result.code, argv.join(" ")).toBe(2);
        expect(result.err).toMatch(message);
      }
    });
  });
}
