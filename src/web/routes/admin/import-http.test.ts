import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { insertUser } from "../../../../test/accounts.ts";
import { buildTestApp } from "../../../../test/app.ts";
import { csrfOf, FORM, signIn } from "../../../../test/console-session.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertEndorsement } from "../../../../test/endorsement-factory.ts";
import { workbookOf } from "../../../../test/endorsement-xlsx.ts";
import { insertSignableLetter } from "../../../../test/sign-on-factory.ts";
import { openSealed } from "../../../crypto/seal.ts";
import { matchKey } from "../../../domain/names.ts";
import { sealJson } from "../../browser/seal-form.ts";

const CSV = [
  "Timestamp,Organisation name,Country,Email address,Any comments?",
  "14/03/2026 10:00:00,Athan Media,Myanmar,office@athan.example,hi",
  "14/03/2026 10:05:00,Atlantis Friends,Atlantis,a@atlantis.example,",
  "14/03/2026 10:06:00,athan media,MM,again@athan.example,",
  "31/02/2026 10:00:00,Late Group,MM,late@example.org,",
  "15/03/2026 11:00:00,Golden Valley Network,TH,gv@example.org,",
  "",
].join("\r\n");

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`console import over HTTP on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    async function setUp(options: { undisclosed?: boolean } = {}) {
      const { app, logs, clock } = await buildTestApp(store.current(), store.dataDir());
      clock.now = new Date("2026-11-01T00:00:00.000Z");
      rmSync(path.join(store.dataDir(), "imports"), { recursive: true, force: true });
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      if (options.undisclosed)
        await db.updateTable("letters").set({ allow_undisclosed: 1 }).where("id", "=", letter.id).execute();
      const cookie = await signIn(app, await insertUser(store.current(), { role: "owner" }));
      const page = await app.inject({
        method: "GET",
        url: `/admin/letters/${letter.id}/import`,
        headers: { cookie },
      });
      return { app, logs, db, letter, cookie, page, csrf: csrfOf(page.body) };
    }

    function upload(
      app: Awaited<ReturnType<typeof setUp>>["app"],
      url: string,
      cookie: string,
      csrf: string | undefined,
      name: string,
      bytes: Buffer,
    ) {
      const boundary = "----undersigned-import";
      const parts = [
        csrf === undefined
          ? Buffer.alloc(0)
          : Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`),
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ];
      return app.inject({
        method: "POST",
        url,
        headers: { "content-type": `multipart/form-data; boundary=${boundary}`, cookie },
        payload: Buffer.concat(parts),
      });
    }

    const kept = () => {
      const folder = path.join(store.dataDir(), "imports");
      return existsSync(folder) ? readdirSync(folder) : [];
    };

    it("imports a listed-only CSV without script: upload, guessed columns, translated preview, import, report", async () => {
      const { app, db, letter, cookie, page, csrf } = await setUp();
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('enctype="multipart/form-data"');
      // The warning comes before the upload, not after it.
      expect(page.body).toContain("Files with undisclosed rows need JavaScript");
      expect(page.body).toContain('<script type="module" src="/assets/admin/import-file.js">');

      const url = `/admin/letters/${letter.id}/import`;
      const uploaded = await upload(app, url, cookie, csrf, "responses.csv", Buffer.from(`\uFEFF${CSV}`));
      expect(uploaded.statusCode).toBe(200);
      expect(kept()).toHaveLength(1);
      const token = /name="token" value="([^"]+)"/.exec(uploaded.body)![1]!;
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
        app.inject({
          method: "POST",
          url: `${url}/mapping`,
          headers: { "content-type": FORM, cookie: `${cookie}; us_lang=${lang}` },
          payload: new URLSearchParams({
            _csrf: csrf,
            token,
            map_name: "1",
            map_signed_at: "0",
            map_country: "2",
            map_email: "3",
            status: "approved",
            note: "partner network form, March",
            ...fields,
          }).toString(),
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
        .orderBy("id")
        .execute();
      expect(rows.map((r) => [r.display_name, r.state, r.source, r.country])).toEqual([
        ["Athan Media", "approved", "import", "MM"],
        ["Golden Valley Network", "approved", "import", "TH"],
      ]);
      expect(rows[0]!.confirmed_at).toBe("2026-03-14T10:00:00.000Z");
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
      const token2 = /name="token" value="([^"]+)"/.exec(again.body)![1]!;
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
      const token = /name="token" value="([^"]+)"/.exec(uploaded.body)![1]!;
      const imported = await app.inject({
        method: "POST",
        url: `${url}/mapping`,
        headers: { "content-type": FORM, cookie },
        payload: new URLSearchParams({
          _csrf: csrf,
          token,
          map_name: "1",
          map_signed_at: "0",
          step: "import",
        }).toString(),
      });
      expect(imported.body).toContain("Imported 1, duplicates 0, rejected 0.");
      const row = await db
        .selectFrom("signatures")
        .selectAll()
        .where("letter_id", "=", letter.id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ display_name: "မြန်မာ့အမျိုးသမီးအဖွဲ့", confirmed_at: "2026-03-01T09:05:00.000Z" });
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

    it("imports rows prepared in the browser: listed ones checked again, undisclosed ones stored sealed as sent", async () => {
      const { app, db, letter, cookie, csrf } = await setUp({ undisclosed: true });
      const key = letter.keyPair.publicKey;
      const identity = sealJson({ v: 1, kind: "organisation", name: "Quiet Lotus Collective" }, key);
      const contact = sealJson({ v: 1, email: "hidden@lotus.example" }, key);
      const payload = {
        v: 1,
        digest: "a".repeat(64),
        ignored: ["Any comments?"],
        outcomes: [{ row: 4, outcome: "rejected", code: "email", params: {} }],
        rows: [
          {
            row: 2,
            visibility: "listed",
            kind: "organisation",
            name: "Open Org",
            country: "MM",
            signed_at: "2026-03-01T09:05:00.000Z",
          },
          {
            row: 3,
            visibility: "undisclosed",
            kind: "organisation",
            signed_at: "2026-03-01T09:06:00.000Z",
            identity,
            contact,
          },
          // The server checks listed rows again: this one slipped past a modified page.
          {
            row: 5,
            visibility: "listed",
            kind: "organisation",
            name: "Atlantis Friends",
            country: "Atlantis",
          },
        ],
      };
      const post = (body: Record<string, string>) =>
        app.inject({
          method: "POST",
          url: `/admin/letters/${letter.id}/import/rows`,
          headers: { "content-type": FORM, cookie },
          payload: new URLSearchParams({ _csrf: csrf, status: "confirmed", note: "", ...body }).toString(),
        });
      const response = await post({ payload: JSON.stringify(payload) });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain("Imported 2, duplicates 0, rejected 2.");
      expect(response.body).toContain("The email is not an email address.");
      expect(response.body).toContain("Country “Atlantis” is neither");
      const stored = await db
        .selectFrom("signatures")
        .selectAll()
        .where("letter_id", "=", letter.id)
        .orderBy("id")
        .execute();
      expect(stored.map((s) => [s.visibility, s.display_name, s.state])).toEqual([
        ["listed", "Open Org", "confirmed"],
        ["undisclosed", null, "confirmed"],
      ]);
      expect(stored[1]).toMatchObject({
        sealed_identity: identity,
        sealed_contact: contact,
        match_key: null,
      });
      expect(JSON.parse(await openSealed(stored[1]!.sealed_identity!, letter.keyPair)).name).toBe(
        "Quiet Lotus Collective",
      );
      expect(stored[1]!.confirmed_at).toBe("2026-03-01T09:06:00.000Z");

      // The same digest again: a file imported before.
      const again = await post({ payload: JSON.stringify(payload) });
      expect(again.body).toContain("Imported 0, duplicates 2, rejected 2.");

      const malformed = await post({ payload: "{not json" });
      expect(malformed.statusCode).toBe(400);
      expect(malformed.body).toContain("The prepared rows could not be read.");
      const wrongShape = await post({
        payload: JSON.stringify({
          ...payload,
          rows: [{ row: 2, visibility: "undisclosed", kind: "organisation", identity: "<b>" }],
        }),
      });
      expect(wrongShape.statusCode).toBe(400);
      expect(
        await db.selectFrom("signatures").select("id").where("letter_id", "=", letter.id).execute(),
      ).toHaveLength(2);
      await app.close();
    });

    it("accepts prepared rows well beyond the form parser's usual limit", async () => {
      const { app, db, letter, cookie, csrf } = await setUp();
      // One sealed contact for all: sealing 4,000 in the test would only measure the test.
      const contact = sealJson({ v: 1, email: "office@example.org" }, letter.keyPair.publicKey);
      // 4,000 rows make well over 1 MiB whatever the box's base64 costs once URL-encoded.
      const rows = Array.from({ length: 4000 }, (_, i) => ({
        row: i + 2,
        visibility: "listed",
        kind: "organisation",
        name: `Township Relief Committee number ${i} of the Ayeyarwady delta region`,
        country: "MM",
        contact,
      }));
      const body = new URLSearchParams({
        _csrf: csrf,
        status: "confirmed",
        payload: JSON.stringify({ v: 1, digest: "b".repeat(64), outcomes: [], rows }),
      }).toString();
      expect(body.length).toBeGreaterThan(1024 * 1024);
      const response = await app.inject({
        method: "POST",
        url: `/admin/letters/${letter.id}/import/rows`,
        headers: { "content-type": FORM, cookie },
        payload: body,
      });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain("Imported 4,000, duplicates 0, rejected 0.");
      expect(
        await db.selectFrom("signatures").select("id").where("letter_id", "=", letter.id).execute(),
      ).toHaveLength(4000);
      await app.close();
    });

    it("marks, in the preview without script, the listed rows the letter already has, as the import does", async () => {
      const { app, db, letter, cookie, csrf } = await setUp({ undisclosed: true });
      const publicKey = letter.keyPair.publicKey;
      await insertEndorsement(db, letter, publicKey, { name: "ATHAN  Media", state: "approved" });
      // A withdrawn endorsement holds its name no more; nor does a merged or rejected one.
      await insertEndorsement(db, letter, publicKey, { name: "Golden Valley Network", state: "withdrawn" });
      await insertEndorsement(db, letter, publicKey, { name: "Late Group", state: "merged" });
      const url = `/admin/letters/${letter.id}/import`;
      const uploaded = await upload(app, url, cookie, csrf, "responses.csv", Buffer.from(CSV));
      const token = /name="token" value="([^"]+)"/.exec(uploaded.body)![1]!;
      const mapping = (step: string, lang = "en") =>
        app.inject({
          method: "POST",
          url: `${url}/mapping`,
          headers: { "content-type": FORM, cookie: `${cookie}; us_lang=${lang}` },
          payload: new URLSearchParams({
            _csrf: csrf,
            token,
            map_name: "1",
            map_signed_at: "0",
            map_country: "2",
            step,
          }).toString(),
        });
      const preview = await mapping("preview");
      expect(preview.statusCode).toBe(200);
      expect(preview.body).toContain(
        "1 rows ready to import (0 undisclosed), 1 repeated in the file, 2 with a problem.",
      );
      expect(preview.body).toContain("1 already on the letter.");
      const onLetter = /<table class="import-on-letter">.*?<\/table>/s.exec(preview.body)![0];
      expect(onLetter).toContain("Already on the letter: not imported again");
      expect(onLetter).toMatch(
        /<tr data-row="2" data-on-letter="true"><td>2<\/td><td>Athan Media<\/td><td>already on the letter<\/td>/,
      );
      expect(onLetter).not.toContain("Golden Valley Network");
      // Distinct from the errors: the problems table does not list it.
      const problems = /<table class="import-problems">.*?<\/table>/s.exec(preview.body)![0];
      expect(problems).not.toContain('data-row="2"');
      const burmese = await mapping("preview", "my");
      expect(burmese.body).toContain("စာတွင် ရှိပြီးသား ၁ ခု။");
      expect(burmese.body).toContain("<td>စာတွင် ရှိပြီးသား</td>");

      // The import agrees with the preview.
      const imported = await mapping("import");
      expect(imported.body).toContain("Imported 1, duplicates 2, rejected 2.");
      expect(imported.body).toContain("The letter already has this name.");
      await app.close();
    });

    it("looks up a large file's listed names in chunks", async () => {
      const { app, db, letter, cookie, csrf } = await setUp();
      const names = Array.from({ length: 1200 }, (_, i) => `Township Relief Committee ${i}`);
      for (const i of [3, 777, 1199])
        await insertEndorsement(db, letter, letter.keyPair.publicKey, {
          name: names[i]!,
          state: i === 777 ? "unconfirmed" : "confirmed",
        });
      const url = `/admin/letters/${letter.id}/import`;
      const csv = `name\n${names.join("\n")}\n`;
      const uploaded = await upload(app, url, cookie, csrf, "big.csv", Buffer.from(csv));
      const token = /name="token" value="([^"]+)"/.exec(uploaded.body)![1]!;
      const preview = await app.inject({
        method: "POST",
        url: `${url}/mapping`,
        headers: { "content-type": FORM, cookie },
        payload: new URLSearchParams({ _csrf: csrf, token, map_name: "0", step: "preview" }).toString(),
      });
      expect(preview.body).toContain("1,197 rows ready to import (0 undisclosed)");
      expect(preview.body).toContain("3 already on the letter.");
      expect(
        [...preview.body.matchAll(/<tr data-row="(\d+)" data-on-letter="true">/g)].map((m) => m[1]),
      ).toEqual(["5", "779", "1201"]);
      await app.close();
    });

    it("tells the browser's preview which listed match keys the letter holds, to its coordinators only", async () => {
      const { app, logs, db, letter, cookie, page } = await setUp({ undisclosed: true });
      const publicKey = letter.keyPair.publicKey;
      await insertEndorsement(db, letter, publicKey, { name: "Athan Media", state: "confirmed" });
      await insertEndorsement(db, letter, publicKey, { name: "Golden Valley Network", state: "rejected" });
      // Undisclosed endorsements keep no match key: no key sent can ever find one.
      await insertEndorsement(db, letter, publicKey, {
        name: "Quiet Lotus Collective",
        visibility: "undisclosed",
        state: "approved",
      });
      expect(page.body).toContain(`data-on-letter-url="/admin/letters/${letter.id}/import/on-letter"`);
      const url = `/admin/letters/${letter.id}/import/on-letter`;
      const ask = (who: string, csrfToken: string | undefined, body: unknown, id = letter.id) =>
        app.inject({
          method: "POST",
          url: `/admin/letters/${id}/import/on-letter`,
          headers: {
            "content-type": "application/json",
            cookie: who,
            ...(csrfToken === undefined ? {} : { "x-csrf-token": csrfToken }),
          },
          payload: JSON.stringify(body),
        });
      const csrfFor = async (who: string) =>
        csrfOf((await app.inject({ method: "GET", url: "/admin", headers: { cookie: who } })).body);
      const csrf = await csrfFor(cookie);
      const keys = ["Athan Media", "Golden Valley Network", "Quiet Lotus Collective", "Nobody Yet"].map(
        matchKey,
      );
      const answer = await ask(cookie, csrf, { keys });
      expect(answer.statusCode).toBe(200);
      expect(answer.headers["cache-control"]).toBe("no-store");
      expect(answer.json()).toEqual({ held: [matchKey("Athan Media")] });
      expect(logs.text.includes(matchKey("Nobody Yet"))).toBe(false);

      // CSRF, bounded requests, and a letter that does not exist.
      expect((await ask(cookie, undefined, { keys })).statusCode).toBe(403);
      expect(
        (await ask(cookie, csrf, { keys: Array.from({ length: 501 }, (_, i) => `k ${i}`) })).statusCode,
      ).toBe(400);
      expect((await ask(cookie, csrf, { keys: ["x".repeat(401)] })).statusCode).toBe(400);
      expect((await ask(cookie, csrf, { keys: "athan media" })).statusCode).toBe(400);
      expect((await ask(cookie, csrf, { keys }, 999_999)).statusCode).toBe(404);
      expect(
        (
          await app.inject({
            method: "POST",
            url,
            headers: { "content-type": "application/json", cookie, "x-csrf-token": csrf },
            payload: JSON.stringify({ keys: Array.from({ length: 500 }, () => "x".repeat(400)) }).padEnd(
              700_000,
            ),
          })
        ).statusCode,
      ).toBe(413);

      // The letter's coordinators may ask; its reviewers and another campaign's coordinators may not.
      const other = await insertSignableLetter(db);
      const as = async (role: "reviewer" | "coordinator", campaignId: number) => {
        const who = await signIn(app, await insertUser(store.current(), { role, campaigns: [campaignId] }));
        return ask(who, await csrfFor(who), { keys });
      };
      const coordinator = await as("coordinator", letter.campaignId);
      expect(coordinator.statusCode).toBe(200);
      expect(coordinator.json()).toEqual({ held: [matchKey("Athan Media")] });
      for (const refused of [
        await as("reviewer", letter.campaignId),
        await as("coordinator", other.campaignId),
      ]) {
        expect(refused.statusCode).toBe(403);
        expect(refused.body).not.toContain("athan media");
      }
      await app.close();
    });
  });
}
