import { describe, expect, it } from "vitest";
import { FORM } from "../../../../test/console-session.ts";
import { DIALECTS } from "../../../../test/databases.ts";
import { finishedPage, useImportConsole } from "../../../../test/import-console.ts";
import { openSealed } from "../../../crypto/seal.ts";
import { utf8 } from "../../../domain/tlog/bytes.ts";
import { commitment } from "../../../domain/tlog/entries.ts";
import { sealJson } from "../../browser/seal-form.ts";

/*
 * Importing rows the browser prepared, over HTTP: listed rows checked again, undisclosed rows stored sealed
 * as they were sent, and bodies well beyond the form parser's usual limit.
 */

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(
    `console import of browser-prepared rows over HTTP on ${dialect.label}`,
    () => {
      const { setUp } = useImportConsole(dialect.name);
      it("imports rows prepared in the browser: listed ones checked again, undisclosed ones stored sealed as sent", async () => {
        const { app, db, letter, cookie, csrf } = await setUp({ undisclosed: true });
        const key = letter.keyPair.publicKey;
        // The browser puts the log commitment's salt inside the sealed identity and sends it beside.
        const salt = Buffer.alloc(32, 9).toString("base64");
        const identity = sealJson({ v: 1, kind: "organisation", name: "Quiet Lotus Collective", salt }, key);
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
              salt,
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
          .orderBy("visibility")
          .execute();
        expect(stored.map((s) => [s.visibility, s.display_name, s.state])).toEqual([
          ["listed", "Open Org", "confirmed"],
          ["undisclosed", null, "confirmed"],
        ]);
        expect(stored[1]).toMatchObject({
          sealed_identity: identity,
          sealed_contact: contact,
          match_key: null,
          listed_salt: null,
          undisclosed_commit: commitment(Buffer.from(salt, "base64"), utf8(identity)),
        });
        expect(JSON.stringify(stored[1])).not.toContain(salt);
        expect(JSON.parse(await openSealed(stored[1]!.sealed_identity!, letter.keyPair)).name).toBe(
          "Quiet Lotus Collective",
        );
        // When an organisation signed is kept to the day, listed or not: a listed time would bracket its neighbours.
        expect(stored[1]!.confirmed_at).toBe("2026-03-01T00:00:00.000Z");
        expect(stored[0]!.confirmed_at).toBe("2026-03-01T00:00:00.000Z");

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
        // On a busy machine the import can outlast the request's wait: then its report is on the progress page.
        const report =
          response.statusCode === 303
            ? await finishedPage(app, response.headers.location!, cookie)
            : response;
        expect(report.statusCode).toBe(200);
        expect(report.body).toContain("Imported 4,000, duplicates 0, rejected 0.");
        expect(
          await db.selectFrom("signatures").select("id").where("letter_id", "=", letter.id).execute(),
        ).toHaveLength(4000);
        await app.close();
      });
    },
  );
}
