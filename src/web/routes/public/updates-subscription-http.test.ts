import { describe, expect, it } from "vitest";
import { buildTestApp, formSession } from "../../../../test/app.ts";
import { FORM } from "../../../../test/console-session.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertSignatures } from "../../../../test/letter-factory.ts";
import { expectRefusedSaying } from "../../../../test/refused-forms.ts";
import { insertSignableLetter } from "../../../../test/sign-on-factory.ts";
import { updatesTokenFor } from "../../../crypto/signer-links.ts";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`update subscriptions on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    const env = { BASE_URL: "https://letters.example" };

    it("stores an updates address only for a listed signer who ticks the box, and explains the refusal otherwise", async () => {
      const { app, clock } = await buildTestApp(store.current(), store.dataDir(), env);
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      const sign = async (fields: Record<string, string>) => {
        const form = await app.inject({ method: "GET", url: `/letters/${letter.slug}/sign` });
        expect(form.body).toContain('name="updates" value="yes"');
        const { cookie, csrf } = formSession(form);
        const ts = /name="ts" value="([^"]+)"/.exec(form.body)![1]!;
        clock.now = new Date(clock.now.getTime() + 10_000);
        return app.inject({
          method: "POST",
          url: `/letters/${letter.slug}/sign`,
          headers: { cookie, "content-type": FORM },
          payload: new URLSearchParams({
            _csrf: csrf,
            ts,
            kind: "organisation",
            consent: "yes",
            ...fields,
          }).toString(),
        });
      };
      const refused = await sign({
        visibility: "undisclosed",
        name: "Quiet Union",
        email: "quiet@ngo.example",
        updates: "yes",
      });
      expectRefusedSaying(refused, [
        "Updates by email are for listed endorsements only.",
        'value="Quiet Union"',
      ]);
      expect(refused.body).toMatch(/name="updates" value="yes" checked/);

      const listed = await sign({
        visibility: "listed",
        name: "Athan Media",
        email: "news@athan.example",
        updates: "yes",
      });
      expect(listed.statusCode).toBe(303);
      const plain = await sign({ visibility: "listed", name: "Other Media", email: "o@other.example" });
      expect(plain.statusCode).toBe(303);
      const rows = await db
        .selectFrom("signatures")
        .select(["display_name", "visibility", "updates_email", "updates_token_hash", "listed_salt"])
        .where("letter_id", "=", letter.id)
        .orderBy("display_name")
        .execute();
      expect(rows.map((r) => [r.display_name, r.updates_email])).toEqual([
        ["Athan Media", "news@athan.example"],
        ["Other Media", null],
      ]);
      expect(rows[0]!.updates_token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[1]!.updates_token_hash).toBeNull();
      await app.close();
    });

    it("unsubscribes with one POST carrying no cookie and no CSRF token, and never on GET", async () => {
      const { app, deps } = await buildTestApp(store.current(), store.dataDir(), env);
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      await insertSignatures(db, letter, [{ displayName: "Athan" }, { displayName: "Beta" }]);
      const signers = await db
        .selectFrom("signatures")
        .select(["id", "listed_salt"])
        .where("letter_id", "=", letter.id)
        .orderBy("id")
        .execute();
      const tokens: string[] = [];
      for (const [i, s] of signers.entries()) {
        const token = updatesTokenFor(deps.secret, s.listed_salt!);
        tokens.push(token);
        const { sha256 } = await import("../../../crypto/tokens.ts");
        await db
          .updateTable("signatures")
          .set({ updates_email: `s${i}@ngo.example`, updates_token_hash: sha256(token) })
          .where("id", "=", s.id)
          .execute();
      }
      const url = (token: string) => `/letters/${letter.slug}/unsubscribe?token=${token}`;
      const email = async (id: number) =>
        (
          await db
            .selectFrom("signatures")
            .select("updates_email")
            .where("id", "=", id)
            .executeTakeFirstOrThrow()
        ).updates_email;

      const shown = await app.inject({ method: "GET", url: url(tokens[0]!) });
      expect(shown.statusCode).toBe(200);
      expect(shown.body).toContain(
        `<form method="post" action="/letters/${letter.slug}/unsubscribe?token=${tokens[0]}"`,
      );
      expect(shown.headers["referrer-policy"]).toBe("no-referrer");
      expect(await email(signers[0]!.id)).toBe("s0@ngo.example");

      const oneClick = await app.inject({
        method: "POST",
        url: url(tokens[0]!),
        headers: { "content-type": FORM },
        payload: "List-Unsubscribe=One-Click",
      });
      expect(oneClick.statusCode).toBe(200);
      expect(oneClick.body).toContain("you will not receive update emails about this letter any more");
      expect(await email(signers[0]!.id)).toBeNull();

      const boundary = "----x";
      const multipart = await app.inject({
        method: "POST",
        url: url(tokens[1]!),
        headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
        payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
      });
      expect(multipart.statusCode).toBe(200);
      expect(await email(signers[1]!.id)).toBeNull();

      const again = await app.inject({
        method: "POST",
        url: url(tokens[1]!),
        headers: { "content-type": FORM },
        payload: "",
      });
      expect(again.body).toContain("You were already unsubscribed");
      const forged = await app.inject({
        method: "POST",
        url: url("A".repeat(43)),
        headers: { "content-type": FORM },
        payload: "",
      });
      expect(forged.statusCode).toBe(404);
      expect(forged.body).toContain("This unsubscribe link is not valid.");
      await app.close();
    });
  });
}
