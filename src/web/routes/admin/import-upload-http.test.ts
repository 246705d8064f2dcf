import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { describe, expect, it, onTestFinished } from "vitest";
import { insertUser } from "../../../../test/accounts.ts";
import { signIn } from "../../../../test/console-session.ts";
import { DIALECTS } from "../../../../test/databases.ts";
import { workbookOf } from "../../../../test/endorsement-xlsx.ts";
import {
  CSV,
  finishedPage,
  postMapping,
  tokenOf,
  upload,
  useImportConsole,
} from "../../../../test/import-console.ts";
import { signatureOf } from "../../../../test/signature-rows.ts";
import { openSealed } from "../../../crypto/seal.ts";
import { assetUrl } from "../../http/static-assets.ts";

/*
 * Importing a file in the console without script, over HTTP: upload, guessed columns, preview, import and
 * report; what it refuses and keeps nothing of; the progress page of a long import.
 */

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`console import of a file over HTTP on ${dialect.label}`, () => {
    const { store, kept, setUp } = useImportConsole(dialect.name);
    it("imports a listed-only CSV without script: upload, guessed columns, translated preview, import, report", async () => {
      const { app, db, letter, cookie, page, csrf } = await setUp();
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('enctype="multipart/form-data"');
      // The warning comes before the upload, not after it.
      expect(page.body).toContain("Files with undisclosed rows need JavaScript");
      expect(page.body).toContain(`<script type="module" src="${assetUrl("admin/import-file.js")}">`);
      // The key loader's libsodium is WebAssembly: the page lets it compile, and allows nothing inline.
      const csp = String(page.headers["content-security-policy"]);
      expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(csp).not.toContain("unsafe-inline");

      const url = `/admin/letters/${letter.id}/import`;
      const uploaded = await upload(app, url, cookie, csrf, "responses.csv", Buffer.from(`\uFEFF${CSV}`));
      expect(uploaded.statusCode).toBe(200);
      expect(kept()).toHaveLength(1);
      const token = tokenOf(uploaded);
      // What sits on disk is ciphertext, under a name that is not the token (which only the form carries).
      expect(kept()[0]).not.toContain(token);
      const onDisk = readFileSync(path.join(store.dataDir(), "imports", kept()[0]!));
      for (const line of CSV.split("\n").slice(1).filter(Boolean)) {
        for (const cell of line.split(",").filter((c) => c.length > 3)) {
          expect(onDisk.includes(Buffer.from(cell)), cell).toBe(false);
        }
      }
      expect(onDisk.includes(Buffer.from(token))).toBe(false);
      // Guesses from the form's headers.
      expect(uploaded.body).toMatch(/<select id="map-name" name="map_name">.*?<option value="1" selected/s);
      expect(uploaded.body).toMatch(
        /<select id="map-signed_at" name="map_signed_at">.*?<option value="0" selected/s,
      );
      expect(uploaded.body).toMatch(/<select id="map-email" name="map_email">.*?<option value="3" selected/s);
      expect(uploaded.body).toMatch(
        /<select id="map-kind" name="map_kind"><option value>[^<]*<\/option><option value="0">/,
      );

      const mapping = (fields: Record<string, string>, lang = "en") =>
        postMapping(app, url, `${cookie}; us_lang=${lang}`, csrf, {
          token,
          map_name: "1",
          map_signed_at: "0",
          map_country: "2",
          map_email: "3",
          status: "approved",
          note: "partner network form, March",
          ...fields,
        });

      const preview = await mapping({ step: "preview" });
      expect(preview.statusCode).toBe(200);
      expect(preview.body).toContain(
        "2 rows ready to import (0 undisclosed), 1 repeated in the file, 2 with a problem.",
      );
      expect(preview.body).toContain(
        "Country “Atlantis” is neither an ISO code nor a country's English name.",
      );
      expect(preview.body).toContain("Repeats row 2.");
      expect(preview.body).toContain("“31/02/2026 10:00:00” is not a date and time this import reads");
      expect(preview.body).toContain("Columns not imported: Any comments?");
      // What was typed and chosen survives the round trip.
      expect(preview.body).toContain('value="partner network form, March"');
      expect(preview.body).toMatch(/<input type="radio" name="status" value="approved" checked/);
      const burmese = await mapping({ step: "preview" }, "my");
      expect(burmese.body).toContain("နိုင်ငံ “Atlantis” သည် ISO ကုဒ် လည်းမဟုတ်");
      expect(burmese.body).toContain("အတန်း ၂ ကို ထပ်နေပါသည်။");
      expect(
        await db.selectFrom("signatures").select("id").where("letter_id", "=", letter.id).execute(),
      ).toHaveLength(0);

      const noName = await mapping({ step: "preview", map_name: "" });
      expect(noName.statusCode).toBe(400);
      expect(noName.body).toContain("Choose the column that holds the name.");

      const imported = await mapping({ step: "import" });
      expect(imported.statusCode).toBe(200);
      expect(imported.body).toContain("Imported 2, duplicates 1, rejected 2.");
      expect(kept()).toHaveLength(0);
      const rows = await db
        .selectFrom("signatures")
        .select(["display_name", "state", "source", "country", "confirmed_at", "sealed_contact"])
        .where("letter_id", "=", letter.id)
        .orderBy("display_name")
        .execute();
      expect(rows.map((r) => [r.display_name, r.state, r.source, r.country])).toEqual([
        ["Athan Media", "approved", "import", "MM"],
        ["Golden Valley Network", "approved", "import", "TH"],
      ]);
      expect(rows[0]!.confirmed_at).toBe("2026-03-14T00:00:00.000Z");
      expect(JSON.parse(await openSealed(rows[0]!.sealed_contact!, letter.keyPair))).toMatchObject({
        email: "office@athan.example",
      });
      const audit = await db
        .selectFrom("audit_entries")
        .select("detail")
        .where("action", "=", "signature.import")
        .executeTakeFirstOrThrow();
      expect(JSON.parse(audit.detail)).toMatchObject({ imported: 2, source: "partner network form, March" });

      // The same file again, even with another byte-order mark, adds nothing.
      const again = await upload(app, url, cookie, csrf, "responses.csv", Buffer.from(CSV));
      const token2 = tokenOf(again);
      const second = await mapping({ step: "import", token: token2 });
      expect(second.body).toContain("Imported 0, duplicates 3, rejected 2.");
      expect(second.body).toContain("This file was imported before");
      expect(
        await db.selectFrom("signatures").select("id").where("letter_id", "=", letter.id).execute(),
      ).toHaveLength(2);

      // A kept file is gone once imported: its token leads back to the upload form.
      const expired = await mapping({ step: "import", token: token2 });
      expect(expired.statusCode).toBe(410);
      expect(expired.body).toContain("The uploaded file is no longer here");
      await app.close();
    });

    it("reads an XLSX workbook without script, dates as UTC", async () => {
      const { app, db, letter, cookie, csrf } = await setUp();
      const bytes = await workbookOf(
        ["Timestamp", "Name of your organisation", "Email address"],
        [["2026-03-01T09:05:00Z", "မြန်မာ့အမျိုးသမီးအဖွဲ့", "mw@example.org"]],
        0,
      );
      const url = `/admin/letters/${letter.id}/import`;
      const uploaded = await upload(app, url, cookie, csrf, "sheet.xlsx", bytes);
      expect(uploaded.statusCode).toBe(200);
      const token = tokenOf(uploaded);
      const imported = await postMapping(app, url, cookie, csrf, {
        token,
        map_name: "1",
        map_signed_at: "0",
        step: "import",
      });
      expect(imported.body).toContain("Imported 1, duplicates 0, rejected 0.");
      const row = await signatureOf(db, letter.id);
      expect(row).toMatchObject({ display_name: "မြန်မာ့အမျိုးသမီးအဖွဲ့", confirmed_at: "2026-03-01T00:00:00.000Z" });
      await app.close();
    });

    it("refuses a file with undisclosed rows without script, and keeps or logs none of it", async () => {
      const { app, logs, db, letter, cookie, csrf } = await setUp({ undisclosed: true });
      const secret = "Quiet Lotus Collective";
      const csv = `name,visibility,email\nOpen Org,listed,o@example.org\n${secret},Undisclosed,hidden@lotus.example\n`;
      const response = await upload(
        app,
        `/admin/letters/${letter.id}/import`,
        cookie,
        csrf,
        "f.csv",
        Buffer.from(csv),
      );
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain(
        "This file has undisclosed rows, so it was discarded without being kept.",
      );
      expect(response.body).not.toContain(secret);
      expect(response.body).not.toContain('name="token"');
      expect(kept()).toHaveLength(0);
      expect(logs.text.includes(secret)).toBe(false);
      expect(logs.text.includes("hidden@lotus.example")).toBe(false);
      expect(
        await db.selectFrom("signatures").select("id").where("letter_id", "=", letter.id).execute(),
      ).toHaveLength(0);
      await app.close();
    });

    it("refuses an upload without the CSRF token, and an unreadable file, keeping nothing", async () => {
      const { app, letter, cookie, csrf } = await setUp();
      const url = `/admin/letters/${letter.id}/import`;
      const forged = await upload(app, url, cookie, undefined, "f.csv", Buffer.from(CSV));
      expect(forged.statusCode).toBe(403);
      const latin1 = await upload(
        app,
        url,
        cookie,
        csrf,
        "f.csv",
        Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xe9]),
      );
      expect(latin1.statusCode).toBe(400);
      expect(latin1.body).toContain("The file is not UTF-8 text.");
      expect(kept()).toHaveLength(0);
      await app.close();
    });

    // SQLite's driver waits for a lock inside a synchronous call, which would stop this very test: on
    // PostgreSQL a lock held by the test keeps the import running for as long as the test needs.
    it.skipIf(dialect.name === "sqlite")(
      "sends a long import to a progress page that refreshes itself until its report, for its starter only",
      async () => {
        const { app, db, letter, cookie, csrf } = await setUp();
        const url = `/admin/letters/${letter.id}/import`;
        const uploaded = await upload(app, url, cookie, csrf, "responses.csv", Buffer.from(CSV));
        const token = tokenOf(uploaded);
        let release!: () => void;
        const released = new Promise<void>((resolve) => {
          release = resolve;
        });
        let locked!: () => void;
        const isLocked = new Promise<void>((resolve) => {
          locked = resolve;
        });
        const holding = db.transaction().execute(async (trx) => {
          await sql`LOCK TABLE signatures IN EXCLUSIVE MODE`.execute(trx);
          locked();
          await released;
        });
        // Released on failure too, or the database could not be dropped.
        onTestFinished(async () => {
          release();
          await holding;
        });
        await isLocked;
        const started = await postMapping(app, url, cookie, csrf, {
          token,
          map_name: "1",
          map_signed_at: "0",
          step: "import",
        });
        expect(started.statusCode).toBe(303);
        const progressUrl = started.headers.location!;
        expect(progressUrl).toMatch(new RegExp(`^${url}/progress/[A-Za-z0-9_-]{22}$`));
        const running = await app.inject({ method: "GET", url: progressUrl, headers: { cookie } });
        expect(running.statusCode).toBe(200);
        expect(running.body).toContain('<meta http-equiv="refresh" content="2"');
        expect(running.body).toMatch(/0 rows done \(\d+ a second\): imported 0, duplicates 0, rejected 0\./);
        const burmese = await app.inject({
          method: "GET",
          url: progressUrl,
          headers: { cookie: `${cookie}; us_lang=my` },
        });
        expect(burmese.body).toContain("တင်သွင်းနေသည်");

        // Another coordinator of the campaign does not follow this one's import.
        const other = await signIn(app, await insertUser(store.current(), { role: "owner" }));
        const stranger = await app.inject({ method: "GET", url: progressUrl, headers: { cookie: other } });
        expect(stranger.statusCode).toBe(404);
        expect(stranger.body).not.toContain("data-import-progress");

        release();
        await holding;
        const done = await finishedPage(app, progressUrl, cookie);
        expect(done.body).not.toContain('http-equiv="refresh"');
        expect(done.body).toContain("Imported 3, duplicates 1, rejected 1.");
        expect(done.body).toContain("Repeats row 2.");
        expect(kept()).toHaveLength(0);
        await app.close();
      },
    );
  });
}
