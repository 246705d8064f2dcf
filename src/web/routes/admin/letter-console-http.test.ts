import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { csrfOf } from "../../../../test/console-session.ts";
import { DIALECTS } from "../../../../test/databases.ts";
import { editorFields, useLetterEditor } from "../../../../test/letter-editor.ts";
import { insertLetter } from "../../../../test/letter-factory.ts";

/*
 * A letter's other console pages over HTTP: state changes said in both languages, reviewers kept to
 * previews, the private link and a translation beside the original, a byte-for-byte preview, and the logo
 * upload.
 */

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`a letter in the console over HTTP on ${dialect.label}`, () => {
    const { store, setUp, post } = useLetterEditor(dialect.name);

    it("after a state change says what happened and where the letter now is, in both languages", async () => {
      const { app, cookie, campaign, letter, page } = await setUp();
      // Sign-on needs the coalition key: any 32-byte public key will do for a state change.
      await store
        .current()
        .db.updateTable("campaigns")
        .set({ public_key: Buffer.alloc(32, 7).toString("base64") })
        .where("id", "=", campaign.id)
        .execute();
      const csrf = csrfOf(page.body);
      for (const [transition, said] of [
        ["publish", "Published."],
        ["close", "Sign-on is closed"],
      ] as const) {
        const changed = await post(
          app,
          `/admin/letters/${letter.id}/state/${transition}`,
          cookie,
          new URLSearchParams({ _csrf: csrf }),
        );
        expect(changed.statusCode).toBe(303);
        expect(changed.headers.location).toBe(`/admin/letters/${letter.id}?changed=${transition}`);
        const editor = await app.inject({
          method: "GET",
          url: changed.headers.location!,
          headers: { cookie },
        });
        expect(editor.body).toContain(said);
        expect(editor.body).toMatch(
          new RegExp(`<a href="[^"]*/letters/${letter.slug}">[^<]*/letters/${letter.slug}</a>`),
        );
        expect(editor.body).toContain(`href="/admin/letters/${letter.id}/share"`);
      }
      const burmese = await app.inject({
        method: "GET",
        url: `/admin/letters/${letter.id}?changed=close&lang=my`,
        headers: { cookie },
      });
      expect(burmese.body).toContain("လက်မှတ်ထိုးခြင်း ပိတ်လိုက်ပြီ");
      const unknown = await app.inject({
        method: "GET",
        url: `/admin/letters/${letter.id}?changed=explode`,
        headers: { cookie },
      });
      expect(unknown.statusCode).toBe(200);
      expect(unknown.body).not.toContain('/share">Addresses');
      await app.close();
    });

    it("refuses reviewers the editor and every change, but lets them preview", async () => {
      const { app, cookie, letter, page } = await setUp("reviewer");
      expect(page.statusCode).toBe(403);
      const csrf = csrfOf(
        (await app.inject({ method: "GET", url: "/admin/campaigns", headers: { cookie } })).body,
      );
      for (const url of [`/admin/letters/${letter.id}`, `/admin/letters/${letter.id}/state/publish`]) {
        const response = await post(app, url, cookie, new URLSearchParams({ _csrf: csrf, title: "x" }));
        expect([url, response.statusCode]).toEqual([url, 403]);
      }
      const preview = await app.inject({
        method: "GET",
        url: `/admin/letters/${letter.id}/preview`,
        headers: { cookie },
      });
      expect(preview.statusCode).toBe(200);
      expect(preview.body).toContain("Original title");
      await app.close();
    });

    it("makes a private link shown once, and edits a Burmese translation beside the original", async () => {
      const { app, cookie, letter, page } = await setUp();
      const made = await post(
        app,
        `/admin/letters/${letter.id}`,
        cookie,
        editorFields(page.body, { privateLink: "new", action: "save" }),
      );
      expect(made.statusCode).toBe(200);
      const link = /<code class="private-link">([^<]+)<\/code>/.exec(made.body)?.[1];
      expect(link).toMatch(new RegExp(`/letters/${letter.slug}/sign\\?key=[A-Za-z0-9_-]{43}$`));
      const again = await app.inject({
        method: "GET",
        url: `/admin/letters/${letter.id}`,
        headers: { cookie },
      });
      expect(again.body).not.toContain(link!.split("key=")[1]);

      const open = await app.inject({
        method: "GET",
        url: `/admin/letters/${letter.id}/translation?language=my`,
        headers: { cookie },
      });
      expect(open.headers.location).toBe(`/admin/letters/${letter.id}/translations/my`);
      const form = await app.inject({ method: "GET", url: open.headers.location!, headers: { cookie } });
      expect(form.body).toContain("Original body.");
      const csrf = csrfOf(form.body);
      const updatedAt = /name="updatedAt" value="([^"]+)"/.exec(form.body)![1]!;
      const saved = await post(
        app,
        open.headers.location!,
        cookie,
        new URLSearchParams({
          _csrf: csrf,
          updatedAt,
          groups: "0",
          title: "မြန်မာ ခေါင်းစဉ်",
          body: "မြန်မာ စာကိုယ်",
          action: "save",
        }),
      );
      expect(saved.statusCode).toBe(303);
      const preview = await app.inject({
        method: "GET",
        url: `/admin/letters/${letter.id}/preview?lang=my`,
        headers: { cookie },
      });
      expect(preview.body).toContain("မြန်မာ ခေါင်းစဉ်");
      await app.close();
    });

    it("previews a published letter byte for byte as the public page shows it", async () => {
      const { app, cookie, campaign } = await setUp();
      const letter = await insertLetter(store.current().db, {
        campaignId: campaign.id,
        translations: [
          { language: "en", title: "Public one", body: "Text with a note.[^1]\n\n[^1]: The note." },
        ],
      });
      const article = (html: string) => /<article class="letter".*<\/article>/s.exec(html)![0];
      const publicPage = await app.inject({ method: "GET", url: `/letters/${letter.slug}` });
      const preview = await app.inject({
        method: "GET",
        url: `/admin/letters/${letter.id}/preview`,
        headers: { cookie },
      });
      expect(article(preview.body)).toBe(article(publicPage.body));
      expect(preview.headers["cache-control"]).toBe("private, no-store");
      await app.close();
    });

    it("uploads a logo through a multipart form and refuses an HTML file named logo.png", async () => {
      const { app, cookie, letter, page } = await setUp();
      const csrf = csrfOf(page.body);
      const multipart = (name: string, bytes: Buffer) => {
        const boundary = "----undersigned-test";
        const payload = Buffer.concat([
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`),
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="logo"; filename="${name}"\r\nContent-Type: image/png\r\n\r\n`,
          ),
          bytes,
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]);
        return app.inject({
          method: "POST",
          url: `/admin/letters/${letter.id}/logo`,
          headers: { "content-type": `multipart/form-data; boundary=${boundary}`, cookie },
          payload,
        });
      };
      const refused = await multipart("logo.png", Buffer.from("<html><script>alert(1)</script></html>"));
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain("Only PNG, JPEG and WebP images are accepted.");
      const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#7a1f2b" } })
        .png()
        .toBuffer();
      const accepted = await multipart("logo.png", png);
      expect(accepted.statusCode).toBe(303);
      const after = await app.inject({ method: "GET", url: accepted.headers.location!, headers: { cookie } });
      const src = /<img class="logo-preview" src="([^"]+)"/.exec(after.body)![1]!;
      const served = await app.inject({ method: "GET", url: src });
      expect(served.statusCode).toBe(200);
      expect(served.headers["content-type"]).toBe("image/png");
      expect((await sharp(served.rawPayload).metadata()).format).toBe("png");
      await app.close();
    });
  });
}
