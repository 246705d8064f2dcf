import { describe, expect, it } from "vitest";
import { insertUser } from "../../../../test/accounts.ts";
import { buildTestApp } from "../../../../test/app.ts";
import { csrfOf, FORM, signIn } from "../../../../test/console-session.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertSignatures } from "../../../../test/letter-factory.ts";
import { expectRefusedSaying } from "../../../../test/refused-forms.ts";
import { insertSignableLetter } from "../../../../test/sign-on-factory.ts";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`the console's updates page on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("posts and mails an update through plain forms, keeps typing on errors, and never mails twice", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir(), {
        BASE_URL: "https://letters.example",
      });
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      await insertSignatures(db, letter, [{ displayName: "Athan" }, { displayName: "Beta" }]);
      await db
        .updateTable("signatures")
        .set({ updates_email: "news@athan.example", updates_token_hash: "0".repeat(64) })
        .where("letter_id", "=", letter.id)
        .where("display_name", "=", "Athan")
        .execute();
      const cookie = await signIn(app, await insertUser(store.current(), { role: "owner" }));
      const url = `/admin/letters/${letter.id}/updates`;

      const page = await app.inject({ method: "GET", url, headers: { cookie } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain("Also email it to the 1 signatories who asked for updates");
      // The embed snippet, escaped as text inside a read-only field.
      expect(page.body).toContain(
        `&lt;iframe src=&quot;https://letters.example/letters/${letter.slug}/embed&quot; title=&quot;Stop the forced returns&quot;`,
      );
      const csrf = csrfOf(page.body);
      const post = (fields: Record<string, string>, path = url) =>
        app.inject({
          method: "POST",
          url: path,
          headers: { cookie, "content-type": FORM },
          payload: new URLSearchParams(fields).toString(),
        });

      const invalid = await post({
        _csrf: csrf,
        title: "",
        body: "Kept <body> text",
        language: "en",
        mail: "1",
      });
      expectRefusedSaying(invalid, ["Kept &lt;body> text"]);
      expect(invalid.body).toMatch(/name="mail" value="1" checked/);
      expect(invalid.body).toContain('id="field-title-error"');

      const forged = await post({ title: "Forged", body: "x", language: "en" });
      expect(forged.statusCode).toBe(403);
      expect(forged.body).toContain('value="Forged"');

      const posted = await post({ _csrf: csrf, title: "Delivered", body: "Handed in.", language: "my" });
      expect(posted.statusCode).toBe(303);
      expect(posted.headers.location).toBe(`${url}?done=posted`);
      const after = await app.inject({ method: "GET", url: posted.headers.location!, headers: { cookie } });
      expect(after.body).toContain("The update has been posted.");
      const update = await db
        .selectFrom("letter_updates")
        .select(["id", "language", "mailed_at"])
        .where("letter_id", "=", letter.id)
        .executeTakeFirstOrThrow();
      expect(update).toMatchObject({ language: "my", mailed_at: null });

      const mailed = await post({ _csrf: csrf }, `${url}/${update.id}/mail`);
      expect(mailed.headers.location).toBe(`${url}?done=mailed&mailed=1`);
      const twice = await post({ _csrf: csrf }, `${url}/${update.id}/mail`);
      expect(twice.headers.location).toBe(`${url}?done=already`);
      const queued = await db
        .selectFrom("outbox_messages")
        .select(["to_address", "subject"])
        .where("purpose", "=", "letter_update")
        .execute();
      expect(queued).toEqual([{ to_address: "news@athan.example", subject: "အပ်ဒိတ်- Delivered" }]);
      const unmailedButtons = await app.inject({ method: "GET", url, headers: { cookie } });
      expect(unmailedButtons.body).not.toContain(`${url}/${update.id}/mail`);
      await app.close();
    });
  });
}
