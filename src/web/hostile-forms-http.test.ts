import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { insertUser } from "../../test/accounts.ts";
import { buildTestApp, formSession, type TestApp } from "../../test/app.ts";
import { FORM, getAs, signIn } from "../../test/console-session.ts";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { insertCampaign, insertLetter } from "../../test/letter-factory.ts";
import { insertSignableLetter } from "../../test/sign-on-factory.ts";
import { translator } from "../i18n/index.ts";
import { FORM_BODY_LIMIT } from "./http/form-body.ts";

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const en = translator("en");
const my = translator("my");

/** The letter editor's fields as a browser posts them back, with changes applied. */
function editorFields(page: string, changes: Record<string, string>): URLSearchParams {
  const form = /<form method="post" action="\/admin\/letters\/\d+" class="stack editor".*?<\/form>/s.exec(
    page,
  )![0];
  const decode = (v: string) =>
    v
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, "&");
  const fields = new URLSearchParams();
  for (const [tag, name, value] of form.matchAll(/<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"[^>]*>/g)) {
    if (!/type="(radio|checkbox)"/.test(tag)) fields.set(name!, decode(value!));
    else if (/ checked/.test(tag)) fields.append(name!, decode(value!));
  }
  for (const [, name, value] of form.matchAll(/<textarea[^>]*?name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g))
    fields.set(name!, decode(value!));
  for (const [, name, options] of form.matchAll(/<select[^>]*?name="([^"]+)"[^>]*>(.*?)<\/select>/gs)) {
    const selected = /<option value="([^"]*)" selected/.exec(options!);
    if (selected) fields.set(name!, decode(selected[1]!));
  }
  for (const [k, v] of Object.entries(changes)) fields.set(k, v);
  return fields;
}

/** Burmese text of exactly `length` characters (three UTF-8 bytes each, nine URL-encoded). */
const burmese = (length: number) => "မြန်မာစာ".repeat(Math.ceil(length / 8)).slice(0, length);

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`hostile form input over HTTP on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    let test: TestApp;
    let app: FastifyInstance;
    let slug: string;

    beforeAll(async () => {
      test = await buildTestApp(store.current(), store.dataDir(), { BASE_URL: "http://localhost:3000" });
      app = test.app;
      slug = (await insertSignableLetter(store.current().db, { moderation: true })).slug;
      return () => app.close();
    });

    async function openSignForm(lang = "en") {
      const page = await app.inject({ method: "GET", url: `/letters/${slug}/sign?lang=${lang}` });
      const session = formSession(page);
      const ts = /name="ts" value="([^"]+)"/.exec(page.body)![1]!;
      test.clock.now = new Date(test.clock.now.getTime() + 10_000);
      return { ...session, ts };
    }

    const postRaw = (cookie: string, lang: string, payload: string | Buffer) =>
      app.inject({
        method: "POST",
        url: `/letters/${slug}/sign?lang=${lang}`,
        headers: { cookie, "content-type": FORM },
        payload,
      });

    const fields = (form: { csrf: string; ts: string }) =>
      new URLSearchParams({
        _csrf: form.csrf,
        ts: form.ts,
        visibility: "listed",
        kind: "organisation",
        contact_person: "Naw Kept Person",
        email: "office@example.org",
        consent: "yes",
      }).toString();

    it("refuses bytes that are not UTF-8, raw or percent-encoded, beside the name, keeping the rest", async () => {
      for (const lang of ["en", "my"] as const) {
        const t = lang === "en" ? en : my;
        const form = await openSignForm(lang);
        const escaped = await postRaw(form.cookie, lang, `${fields(form)}&name=Org%E0%A4`);
        expect(escaped.statusCode).toBe(400);
        expect(escaped.body).toContain(escapeHtml(t("field.invalidEncoding")));
        expect(escaped.body).toContain('value="Naw Kept Person"');
        expect(escaped.body).not.toContain("%E0%A4");

        const again = await openSignForm(lang);
        const raw = Buffer.concat([
          Buffer.from(`${fields(again)}&name=Org`),
          Buffer.from([0xe0, 0xa4]),
          Buffer.from("x"),
        ]);
        const rawAnswer = await postRaw(again.cookie, lang, raw);
        expect(rawAnswer.statusCode).toBe(400);
        expect(rawAnswer.body).toContain(escapeHtml(t("field.invalidEncoding")));
        expect(rawAnswer.body).toContain('value="Naw Kept Person"');
      }
    });

    it("answers odd paths with 404, and refuses a console form posted from Origin: null", async () => {
      for (const url of ["//", "///", "//evil.example/x", "/letters//sign"]) {
        const res = await app.inject({ method: "GET", url });
        expect([url, res.statusCode]).toEqual([url, 404]);
      }
      const page = await app.inject({ method: "GET", url: "/admin/login" });
      const { cookie, csrf } = formSession(page);
      const res = await app.inject({
        method: "POST",
        url: "/admin/login",
        headers: { cookie, "content-type": FORM, origin: "null" },
        payload: new URLSearchParams({ _csrf: csrf, email: "a@example.org", password: "typed" }).toString(),
      });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('value="a@example.org"');
    });

    it("refuses a console form whose token was minted without the session, as a planted cookie's would be", async () => {
      // The attacker's move: open the sign-in page, keep its cookie and token, plant the cookie in a victim's
      // browser (a sibling domain can), and post the token once the victim is signed in.
      const owner = await insertUser(store.current(), { role: "owner" });
      const login = await app.inject({ method: "GET", url: "/admin/login" });
      const planted = formSession(login);
      const signedIn = await app.inject({
        method: "POST",
        url: "/admin/login",
        headers: { cookie: planted.cookie, "content-type": FORM },
        payload: new URLSearchParams({
          _csrf: planted.csrf,
          email: owner.email,
          password: owner.password,
        }).toString(),
      });
      expect(signedIn.statusCode).toBe(303);
      const session = signedIn.cookies.find((c) => c.name === "us_session")!.value;
      const cookie = `${planted.cookie}; us_session=${session}`;
      const post = (csrf: string) =>
        app.inject({
          method: "POST",
          url: "/admin/campaigns?lang=my",
          headers: { cookie, "content-type": FORM },
          payload: new URLSearchParams({
            _csrf: csrf,
            name: "Kept Coalition",
            slug: "kept-coalition",
          }).toString(),
        });
      const forged = await post(planted.csrf);
      expect(forged.statusCode).toBe(403);
      expect(forged.body).toContain(escapeHtml(my("error.csrf")));
      expect(forged.body).toContain('value="Kept Coalition"');
      const page = await app.inject({ method: "GET", url: "/admin/campaigns", headers: { cookie } });
      const own = await post(/name="_csrf" value="([^"]+)"/.exec(page.body)![1]!);
      expect(own.statusCode).toBe(303);
    });

    it("refuses a NUL with a translated message, not a database error", async () => {
      const form = await openSignForm();
      const res = await postRaw(form.cookie, "en", `${fields(form)}&name=Real%00Org`);
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain(escapeHtml(en("field.controlCharacter")));
      expect(res.body).toContain('value="Naw Kept Person"');
    });

    it("keeps a 28,000-character Burmese letter body, and answers a body past the hard limit with a plain 413", async () => {
      const campaign = await insertCampaign(store.current().db);
      const user = await insertUser(store.current(), { role: "coordinator", campaigns: [campaign.id] });
      const cookie = await signIn(app, user);
      const letter = await insertLetter(store.current().db, {
        campaignId: campaign.id,
        state: "draft",
        translations: [{ language: "en", title: "A letter", body: "Short." }],
      });
      const url = `/admin/letters/${letter.id}`;
      const page = await getAs(app, url, cookie);
      expect(page.statusCode).toBe(200);
      const post = (fields: URLSearchParams, lang = "en") =>
        app.inject({
          method: "POST",
          url: `${url}?lang=${lang}`,
          headers: { cookie, "content-type": FORM },
          payload: fields.toString(),
        });
      const body = burmese(28_000);
      const fields = editorFields(page.body, { body, action: "save" });
      expect(fields.toString().length).toBeGreaterThan(250_000);
      const saved = await post(fields);
      expect([saved.statusCode, /field-error">([^<]+)/.exec(saved.body)?.[1]]).toEqual([303, undefined]);
      const stored = await store
        .current()
        .db.selectFrom("letter_translations")
        .innerJoin("letters", "letters.current_version_id", "letter_translations.version_id")
        .select("letter_translations.body")
        .where("letters.id", "=", letter.id)
        .executeTakeFirstOrThrow();
      expect(stored.body).toBe(body);

      // Over the field's own limit but within the body limit: shown again beside the field, with the text.
      const tooLong = burmese(100_001);
      const refused = await post(editorFields(page.body, { body: tooLong, action: "save" }), "my");
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain(escapeHtml(my("error.validation")));
      expect(refused.body).toContain(tooLong);

      const huge = await app.inject({
        method: "POST",
        url: `${url}?lang=my`,
        headers: { cookie, "content-type": FORM },
        payload: `_csrf=x&body=${"x".repeat(FORM_BODY_LIMIT + 1)}`,
      });
      expect(huge.statusCode).toBe(413);
      expect(huge.body).toContain(escapeHtml(my("error.payload_too_large")));
    });
  });
}
