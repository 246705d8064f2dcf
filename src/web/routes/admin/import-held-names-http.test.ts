import { describe, expect, it } from "vitest";
import { insertUser } from "../../../../test/accounts.ts";
import { csrfOf, signIn } from "../../../../test/console-session.ts";
import { DIALECTS } from "../../../../test/databases.ts";
import { insertEndorsement } from "../../../../test/endorsement-factory.ts";
import { CSV, postMapping, tokenOf, upload, useImportConsole } from "../../../../test/import-console.ts";
import { insertSignableLetter } from "../../../../test/sign-on-factory.ts";
import { matchKey } from "../../../domain/names.ts";

/*
 * How the console import tells which listed names the letter already has, over HTTP: marked in the preview
 * without script, looked up in chunks for large files, and given to the browser's preview for coordinators
 * only.
 */

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(
    `console import marking held names over HTTP on ${dialect.label}`,
    () => {
      const { store, setUp } = useImportConsole(dialect.name);
      it("marks, in the preview without script, the listed rows the letter already has, as the import does", async () => {
        const { app, db, letter, cookie, csrf } = await setUp({ undisclosed: true });
        const publicKey = letter.keyPair.publicKey;
        await insertEndorsement(db, letter, publicKey, { name: "ATHAN  Media", state: "approved" });
        // A withdrawn endorsement holds its name no more; nor does a merged or rejected one.
        await insertEndorsement(db, letter, publicKey, { name: "Golden Valley Network", state: "withdrawn" });
        await insertEndorsement(db, letter, publicKey, { name: "Late Group", state: "merged" });
        const url = `/admin/letters/${letter.id}/import`;
        const uploaded = await upload(app, url, cookie, csrf, "responses.csv", Buffer.from(CSV));
        const token = tokenOf(uploaded);
        const mapping = (step: string, lang = "en") =>
          postMapping(app, url, `${cookie}; us_lang=${lang}`, csrf, {
            token,
            map_name: "1",
            map_signed_at: "0",
            map_country: "2",
            step,
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
        const token = tokenOf(uploaded);
        const preview = await postMapping(app, url, cookie, csrf, { token, map_name: "0", step: "preview" });
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
        expect(answer.json()).toEqual({ held: [matchKey("Athan Media")], heldKeyed: [] });
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
        expect(coordinator.json()).toEqual({ held: [matchKey("Athan Media")], heldKeyed: [] });
        for (const refused of [
          await as("reviewer", letter.campaignId),
          await as("coordinator", other.campaignId),
        ]) {
          expect(refused.statusCode).toBe(403);
          expect(refused.body).not.toContain("athan media");
        }
        await app.close();
      });
    },
  );
}
