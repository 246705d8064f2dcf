import { createHash } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, formSession, openAndConfirm, type TestApp } from "../../../../test/app.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertSignableLetter } from "../../../../test/sign-on-factory.ts";
import { approveSignature } from "../../../commands/approve-signature.ts";
import { releaseCounts } from "../../../commands/release-counts.ts";
import { nextRelease } from "../../../domain/count-release.ts";
import { translator } from "../../../i18n/index.ts";
import { assetUrl } from "../../http/static-assets.ts";

/** How preact writes attribute values and text: `&`, `<` and `"` escaped (`>` is left as is in attributes). */
const escapeAttr = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Everything a signer might type, each value distinctive so the test can find it in the re-rendered page. */
const typed = {
  kind: "organisation",
  visibility: "undisclosed",
  name: "ကရင် အမျိုးသမီး <Typed> Group",
  name_alt: "Karen Women's Typed Network",
  category: "Myanmar",
  country: "TH",
  website: "https://typed.example.org/about",
  contact_person: "Naw Typed Person",
  email: "not-an-email",
  consent: "yes",
};

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`the sign form over HTTP on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    let test: TestApp;
    let app: FastifyInstance;
    let slug: string;
    let publicKey: string;

    beforeAll(async () => {
      test = await buildTestApp(store.current(), store.dataDir(), { BASE_URL: "http://localhost:3000" });
      app = test.app;
      const letter = await insertSignableLetter(store.current().db, { moderation: true });
      slug = letter.slug;
      publicKey = letter.keyPair.publicKey;
      return () => app.close();
    });

    /** Opens the form like a browser, then waits long enough to look human. */
    async function openForm(lang = "en") {
      const page = await app.inject({ method: "GET", url: `/letters/${slug}/sign?lang=${lang}` });
      expect(page.statusCode).toBe(200);
      const session = formSession(page);
      const ts = /name="ts" value="([^"]+)"/.exec(page.body)![1]!;
      test.clock.now = new Date(test.clock.now.getTime() + 10_000);
      return { ...session, ts, page };
    }

    const post = (form: { cookie: string }, fields: Record<string, string>, lang = "en") =>
      app.inject({
        method: "POST",
        url: `/letters/${slug}/sign?lang=${lang}`,
        headers: { cookie: form.cookie, "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams(fields).toString(),
      });

    const expectEverythingKept = (body: string) => {
      for (const [field, value] of Object.entries(typed)) {
        if (
          field === "kind" ||
          field === "visibility" ||
          field === "consent" ||
          field === "category" ||
          field === "country"
        )
          continue;
        expect([field, body.includes(`value="${escapeAttr(value)}"`)]).toEqual([field, true]);
      }
      expect(body).toContain('value="undisclosed" checked');
      expect(body).toContain('<option value="TH" selected');
      expect(body).toContain('<option value="Myanmar" selected');
      expect(body).toMatch(/name="consent" value="yes" checked/);
    };

    it("shows the form with the visibility explained, a localised country list, the key and no inline script", async () => {
      const { page } = await openForm("my");
      const t = translator("my");
      expect(page.body).toContain(escapeHtml(t("sign.undisclosedHint")));
      expect(page.body).toContain(">မြန်မာ</option>");
      expect(page.body).toMatch(/data-seal-key="[A-Za-z0-9+/]{43}="/);
      expect(page.body).toContain(`<script type="module" src="${assetUrl("sign/seal-form.js")}">`);
      expect(page.body).not.toMatch(/<script>|<script [^>]*>[^<]/);
      // The key's fingerprint in four groups of four, with where to check it, in the page's language.
      const fingerprint = createHash("sha256").update(publicKey).digest("hex").slice(0, 16);
      const grouped = fingerprint.match(/.{4}/g)!.join(" ");
      expect(page.body).toContain(escapeHtml(t("key.fingerprintNotice", { fingerprint: grouped })));
      const letterPage = await app.inject({ method: "GET", url: `/letters/${slug}?lang=my` });
      expect(letterPage.body).toContain(grouped);
    });

    for (const lang of ["en", "my"] as const) {
      it(`re-renders invalid input with every typed value and a message in ${lang}`, async () => {
        const form = await openForm(lang);
        const res = await post(form, { _csrf: form.csrf, ts: form.ts, ...typed }, lang);
        expect(res.statusCode).toBe(400);
        const t = translator(lang);
        expect(res.body).toContain(escapeHtml(t("field.email")));
        expect(res.body).toContain(escapeHtml(t("error.summaryTitle")));
        expectEverythingKept(res.body);
      });
    }

    it("keeps the input when the CSRF check fails, the honeypot is filled or the form came back too fast", async () => {
      const t = translator("en");
      const valid = { ...typed, email: "office@example.org" };
      const csrf = await openForm();
      const badCsrf = await post(csrf, { _csrf: "forged", ts: csrf.ts, ...valid });
      expect(badCsrf.statusCode).toBe(403);
      expect(badCsrf.body).toContain(escapeHtml(t("error.csrf")));

      const honey = await openForm();
      const bot = await post(honey, {
        _csrf: honey.csrf,
        ts: honey.ts,
        reference_code: "http://spam.example",
        ...valid,
      });
      expect(bot.statusCode).toBe(400);
      expect(bot.body).toContain(escapeHtml(t("sign.honeypot")));

      const fast = await app.inject({ method: "GET", url: `/letters/${slug}/sign` });
      const session = formSession(fast);
      const ts = /name="ts" value="([^"]+)"/.exec(fast.body)![1]!;
      const tooFast = await post(session, { _csrf: session.csrf, ts, ...valid });
      expect(tooFast.statusCode).toBe(400);
      expect(tooFast.body).toContain(escapeHtml(t("sign.tooFast")));

      const forged = await post(session, { _csrf: session.csrf, ts: "1.forged", ...valid });
      expect(forged.body).toContain(escapeHtml(t("sign.stampInvalid")));
      for (const res of [badCsrf, bot, tooFast, forged]) {
        expect(res.body).toContain(`value="${escapeAttr(valid.email)}"`);
        expect(res.body).toContain(`value="${escapeAttr(valid.name)}"`);
      }
      expect(await store.current().db.selectFrom("signatures").select("id").execute()).toHaveLength(0);
    });

    it("signs, confirms from the mailed link, shows the receipt and lets the signer withdraw", async () => {
      const form = await openForm();
      const res = await post(form, { _csrf: form.csrf, ts: form.ts, ...typed, email: "office@example.org" });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`/letters/${slug}/sign/sent`);
      const sent = await app.inject({ method: "GET", url: res.headers.location as string });
      expect(sent.body).toContain("Check your email");
      expect(sent.body).not.toContain("office@example.org");

      const mail = await store
        .current()
        .db.selectFrom("outbox_messages")
        .select("text_body")
        .orderBy("id", "desc")
        .executeTakeFirstOrThrow();
      const link = /http:\/\/localhost:3000(\/letters\/\S+)/.exec(mail.text_body)![1]!;
      const state = async () =>
        (
          await store
            .current()
            .db.selectFrom("signatures")
            .select("state")
            .orderBy("id", "desc")
            .executeTakeFirstOrThrow()
        ).state;
      // Opening the link (as a mail scanner would) shows the button and confirms nothing; nor does a
      // POST without the page's CSRF token.
      const scanned = await app.inject({ method: "GET", url: link });
      expect(scanned.statusCode).toBe(200);
      expect(scanned.body).toContain("Confirm my endorsement");
      const forged = await app.inject({ method: "POST", url: link, payload: {} });
      expect(forged.statusCode).toBe(403);
      expect(forged.body).toContain("Confirm my endorsement");
      expect(await state()).toBe("unconfirmed");
      const { receipt } = await openAndConfirm(app, link);
      expect(receipt.statusCode).toBe(200);
      expect(receipt.body).toContain("Your endorsement is confirmed");
      expect(await state()).toBe("confirmed");
      expect(receipt.body).toContain("Undisclosed. Your details are sealed");
      expect(receipt.body).not.toContain("Typed");
      const again = await app.inject({ method: "GET", url: link });
      const manage = (body: string) => /class="manage-link">http:\/\/localhost:3000([^<]+)</.exec(body)![1]!;
      expect(manage(again.body)).toBe(manage(receipt.body));

      const signature = await store
        .current()
        .db.selectFrom("signatures")
        .select("id")
        .orderBy("id", "desc")
        .executeTakeFirstOrThrow();
      await approveSignature(test.deps, { actor: "cli", signatureId: signature.id }, test.clock.now);
      const before = (await app.inject({ method: "GET", url: `/api/v1/letters/${slug}` })).json();
      expect(before.counts).toMatchObject({ total: 1, undisclosed: 1 });

      const managePage = await app.inject({ method: "GET", url: manage(receipt.body) });
      const session = formSession(managePage);
      // The first tap only asks: nothing is withdrawn until the question is answered.
      const question = await app.inject({
        method: "POST",
        url: `${manage(receipt.body)}/withdraw`,
        headers: { cookie: session.cookie, "content-type": "application/x-www-form-urlencoded" },
        payload: `_csrf=${encodeURIComponent(session.csrf)}`,
      });
      expect(question.statusCode).toBe(200);
      expect(question.body).toContain("Withdraw your endorsement of");
      expect(question.body).toContain('name="confirm" value="yes"');
      expect(
        (await app.inject({ method: "GET", url: `/api/v1/letters/${slug}` })).json().counts,
      ).toMatchObject({ total: 1 });
      const withdrawn = await app.inject({
        method: "POST",
        url: `${manage(receipt.body)}/withdraw`,
        headers: { cookie: session.cookie, "content-type": "application/x-www-form-urlencoded" },
        payload: `_csrf=${encodeURIComponent(session.csrf)}&confirm=yes`,
      });
      expect(withdrawn.statusCode).toBe(303);
      expect((await app.inject({ method: "GET", url: withdrawn.headers.location as string })).body).toContain(
        "Your endorsement has been withdrawn.",
      );
      // An undisclosed withdrawal reaches the public count at the letter's next release, not now.
      const countNow = async () =>
        (await app.inject({ method: "GET", url: `/api/v1/letters/${slug}` })).json().counts;
      expect(await countNow()).toMatchObject({ total: 1 });
      await releaseCounts(test.deps, {}, nextRelease(24, test.clock.now));
      expect(await countNow()).toMatchObject({ total: 0 });
      expect(
        (await app.inject({ method: "GET", url: `/letters/${slug}/confirm/not-a-real-token` })).statusCode,
      ).toBe(410);
    });

    it("says sign-on is closed while paused, and serves the sealing script from our origin", async () => {
      const { setSetting } = await import("../../../store/settings.ts");
      await setSetting(store.current().db, "signing_paused", "1", test.clock.now);
      const closed = await app.inject({ method: "GET", url: `/letters/${slug}/sign` });
      expect(closed.body).toContain("Sign-on is paused for the moment.");
      expect(closed.body).not.toContain("<form");
      await setSetting(store.current().db, "signing_paused", "0", test.clock.now);
      const script = await app.inject({ method: "GET", url: assetUrl("sign/seal-form.js") });
      expect(script.statusCode).toBe(200);
      expect(script.headers["content-type"]).toContain("javascript");
    });
  });
}
