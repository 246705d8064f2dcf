import type { FastifyInstance } from "fastify";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { insertUser, type TestUser } from "../../../../test/accounts.ts";
import { buildTestApp, formSession } from "../../../../test/app.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertCampaign, insertLetter } from "../../../../test/letter-factory.ts";
import type { Role } from "../../../domain/roles.ts";

const urlencoded = "application/x-www-form-urlencoded";

async function signIn(app: FastifyInstance, user: TestUser): Promise<string> {
  const page = await app.inject({ method: "GET", url: "/admin/login" });
  const { cookie, csrf } = formSession(page);
  const response = await app.inject({
    method: "POST",
    url: "/admin/login",
    headers: { "content-type": urlencoded, cookie },
    payload: new URLSearchParams({ _csrf: csrf, email: user.email, password: user.password }).toString(),
  });
  expect(response.statusCode).toBe(303);
  const session = response.cookies.find((c) => c.name === "us_session")!;
  return `${cookie}; us_session=${session.value}`;
}

/** The editor's own fields as a browser would post them back, with changes applied. */
function editorFields(page: string, changes: Record<string, string>): URLSearchParams {
  const body = /<form method="post" action="\/admin\/letters\/\d+" class="stack editor".*?<\/form>/s.exec(
    page,
  )![0];
  const fields = new URLSearchParams();
  for (const [tag, name, value] of body.matchAll(/<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"[^>]*>/g)) {
    if (!/type="(radio|checkbox)"/.test(tag)) fields.set(name!, decode(value!));
    else if (/ checked/.test(tag)) fields.append(name!, decode(value!));
  }
  for (const [, name, value] of body.matchAll(/<textarea[^>]*?name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g))
    fields.set(name!, decode(value!));
  for (const [, name, options] of body.matchAll(/<select[^>]*?name="([^"]+)"[^>]*>(.*?)<\/select>/gs)) {
    const selected = /<option value="([^"]*)" selected/.exec(options!);
    if (selected) fields.set(name!, decode(selected[1]!));
  }
  for (const [k, v] of Object.entries(changes)) fields.set(k, v);
  return fields;
}
/** The form token on a page; the CSRF cookie is already in the jar from signing in. */
const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)![1]!;

const decode = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`the letter editor over HTTP on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    async function setUp(role: Role = "coordinator") {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const campaign = await insertCampaign(store.current().db);
      const user = await insertUser(store.current(), { role, campaigns: [campaign.id] });
      const cookie = await signIn(app, user);
      const letter = await insertLetter(store.current().db, {
        campaignId: campaign.id,
        state: "draft",
        translations: [{ language: "en", title: "Original title", body: "Original body." }],
      });
      const page = await app.inject({
        method: "GET",
        url: `/admin/letters/${letter.id}`,
        headers: { cookie },
      });
      return { app, cookie, campaign, letter, page };
    }

    const post = (app: FastifyInstance, url: string, cookie: string, fields: URLSearchParams) =>
      app.inject({
        method: "POST",
        url,
        headers: { "content-type": urlencoded, cookie },
        payload: fields.toString(),
      });

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
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain("This field is required.");
      expect(refused.body).toContain("Use lower-case letters, digits and hyphens");
      expect(refused.body).toContain("Enter a date like 2023-08-15.");
      expect(refused.body).toContain("A new body with &lt;script>alert(1)&lt;/script>");
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
