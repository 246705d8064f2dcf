import { describe, expect, it } from "vitest";
import { csrfOf } from "../../../../test/console-session.ts";
import { DIALECTS } from "../../../../test/databases.ts";
import { editorFields, useLetterEditor } from "../../../../test/letter-editor.ts";
import { expectRefusedSaying } from "../../../../test/refused-forms.ts";

/*
 * The letter editor over HTTP, without script: saving, re-rendering what was typed with translated messages
 * when it is invalid or its CSRF token is missing, count releases, addressee groups, and the count
 * statement's wording per language.
 */

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`the letter editor over HTTP on ${dialect.label}`, () => {
    const { store, setUp, post } = useLetterEditor(dialect.name);

    it("saves the letter, and re-renders an invalid one with everything typed and translated messages", async () => {
      const { app, cookie, letter, page } = await setUp();
      expect(page.statusCode).toBe(200);
      const url = `/admin/letters/${letter.id}`;
      const typed = "A new body with <script>alert(1)</script> [^1]\n\n[^1]: A note.";
      const refused = await post(
        app,
        url,
        cookie,
        editorFields(page.body, {
          body: typed,
          title: "",
          slug: "Not A Slug",
          letterDate: "2026-02-30",
          action: "save",
        }),
      );
      expectRefusedSaying(refused, [
        "This field is required.",
        "Use lower-case letters, digits and hyphens",
        "Enter a date like 2023-08-15.",
        "A new body with &lt;script>alert(1)&lt;/script>",
      ]);
      expect(refused.body).not.toContain("<script>alert(1)");
      expect(refused.body).toContain('value="Not A Slug"');

      const saved = await post(
        app,
        url,
        cookie,
        editorFields(page.body, { body: typed, title: "Better title", action: "save" }),
      );
      expect([saved.statusCode, /field-error">([^<]+)/.exec(saved.body)?.[1]]).toEqual([303, undefined]);
      expect(saved.headers.location).toBe(`${url}?notice=saved`);
      const after = await app.inject({ method: "GET", url: saved.headers.location!, headers: { cookie } });
      expect(after.body).toContain("Saved.");
      expect(after.body).toContain('value="Better title"');
      await app.close();
    });

    it("shows the letter's count releases, saves a new rhythm, and refuses one that does not divide a day", async () => {
      const { app, cookie, letter, page } = await setUp();
      expect(page.body).toContain('<option value="24" selected');
      expect(page.body).toContain("Count releases");
      const url = `/admin/letters/${letter.id}`;
      const refused = await post(
        app,
        url,
        cookie,
        editorFields(page.body, { releaseEveryHours: "5", title: "Kept title", action: "save" }),
      );
      expectRefusedSaying(refused, ["Choose one of the offered rhythms.", 'value="Kept title"']);
      const saved = await post(
        app,
        url,
        cookie,
        editorFields(page.body, { releaseEveryHours: "6", action: "save" }),
      );
      expect(saved.statusCode).toBe(303);
      const row = await store
        .current()
        .db.selectFrom("letters")
        .select("release_every_hours")
        .where("id", "=", letter.id)
        .executeTakeFirstOrThrow();
      expect(row.release_every_hours).toBe(6);
      const after = await app.inject({ method: "GET", url, headers: { cookie } });
      expect(after.body).toContain('<option value="6" selected');
      await app.close();
    });

    it("adds and removes addressee groups without JavaScript, losing nothing typed", async () => {
      const { app, cookie, letter, page } = await setUp();
      const url = `/admin/letters/${letter.id}`;
      const added = await post(
        app,
        url,
        cookie,
        editorFields(page.body, { body: "Kept body", action: "addGroup" }),
      );
      expect(added.statusCode).toBe(200);
      expect(added.body).toContain('name="heading_0"');
      expect(added.body).toContain("Kept body");
      const two = await post(
        app,
        url,
        cookie,
        editorFields(added.body, {
          heading_0: "The Ministers of",
          names_0: "Alpha\nBeta",
          action: "addGroup",
        }),
      );
      expect(two.body).toContain('name="heading_1"');
      expect(two.body).toContain("Alpha\nBeta");
      const removed = await post(app, url, cookie, editorFields(two.body, { action: "removeGroup:0" }));
      expect(removed.body).not.toContain('name="heading_1"');
      expect(removed.body).not.toContain("The Ministers of");
      expect(removed.body).toContain("Kept body");
      await app.close();
    });

    it("re-renders the typed text when the CSRF token is missing, and saves nothing", async () => {
      const { app, cookie, letter, page } = await setUp();
      const fields = editorFields(page.body, { body: "Typed but not sent safely", action: "save" });
      fields.delete("_csrf");
      const response = await post(app, `/admin/letters/${letter.id}`, cookie, fields);
      expect(response.statusCode).toBe(403);
      expect(response.body).toContain("This form has expired");
      expect(response.body).toContain("Typed but not sent safely");
      const row = await store
        .current()
        .db.selectFrom("letter_translations")
        .select("body")
        .where("version_id", "=", letter.versionId)
        .executeTakeFirstOrThrow();
      expect(row.body).toBe("Original body.");
      await app.close();
    });

    it("sets the count statement's wording per language in the editor and beside the translation, the generated sentence when left empty", async () => {
      const { app, cookie, letter, page } = await setUp();
      const preview = async (lang: string) =>
        /<p class="count-statement"[^>]*>([^<]*)<\/p>/.exec(
          (
            await app.inject({
              method: "GET",
              url: `/admin/letters/${letter.id}/preview?lang=${lang}`,
              headers: { cookie },
            })
          ).body,
        )?.[1];
      const generated = await preview("en");
      expect(generated).toMatch(/^No organisation has endorsed/);

      const english = "Endorsed by {{total}}: {{listed}} named below, {{undisclosed}} unnamed.";
      const saved = await post(
        app,
        `/admin/letters/${letter.id}`,
        cookie,
        editorFields(page.body, { countStatement: english, action: "save" }),
      );
      expect(saved.statusCode).toBe(303);
      expect(await preview("en")).toBe("Endorsed by 0: 0 named below, 0 unnamed.");
      const editor = await app.inject({
        method: "GET",
        url: `/admin/letters/${letter.id}`,
        headers: { cookie },
      });
      expect(editor.body).toContain(`name="countStatement" rows="3"`);
      expect(editor.body).toContain("Endorsed by {{total}}: {{listed}} named below");

      const form = await app.inject({
        method: "GET",
        url: `/admin/letters/${letter.id}/translations/my`,
        headers: { cookie },
      });
      // The original's wording beside the field, read-only and never posted.
      expect(form.body).toMatch(
        /<textarea id="original-countStatement" rows="3" lang="en" readonly[^>]*>Endorsed by/,
      );
      const translated = await post(
        app,
        `/admin/letters/${letter.id}/translations/my`,
        cookie,
        new URLSearchParams({
          _csrf: csrfOf(form.body),
          updatedAt: /name="updatedAt" value="([^"]+)"/.exec(form.body)![1]!,
          groups: "0",
          title: "မြန်မာ ခေါင်းစဉ်",
          body: "မြန်မာ စာကိုယ်",
          countStatement: "အဖွဲ့ {{total}} ဖွဲ့က ထောက်ခံသည်။",
          action: "save",
        }),
      );
      expect(translated.statusCode).toBe(303);
      expect(await preview("my")).toBe("အဖွဲ့ ၀ ဖွဲ့က ထောက်ခံသည်။");

      const cleared = await app.inject({
        method: "GET",
        url: `/admin/letters/${letter.id}`,
        headers: { cookie },
      });
      await post(
        app,
        `/admin/letters/${letter.id}`,
        cookie,
        editorFields(cleared.body, { countStatement: "", action: "save" }),
      );
      expect(await preview("en")).toBe(generated);
      expect(await preview("my")).toBe("အဖွဲ့ ၀ ဖွဲ့က ထောက်ခံသည်။");
      await app.close();
    });
  });
}
