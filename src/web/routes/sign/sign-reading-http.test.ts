import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, formSession, type TestApp } from "../../../../test/app.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertSignableLetter } from "../../../../test/sign-on-factory.ts";
import { privateSignOnTokenHash } from "../../../crypto/tokens.ts";
import { translator } from "../../../i18n/index.ts";

/*
 * What a signer reads and is told on the sign form: the whole letter before endorsing it (also through the
 * private link, before publication), every problem of a refused form at once in an error summary, and how a
 * reader of the public letter finds the form.
 */

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const PRIVATE_KEY = "private-sign-on-key-for-tests";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`reading and signing on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    let test: TestApp;
    let app: FastifyInstance;

    beforeAll(async () => {
      test = await buildTestApp(store.current(), store.dataDir(), { BASE_URL: "http://localhost:3000" });
      app = test.app;
      return () => app.close();
    });

    /** A letter with addressees, a body citing an endnote and a closing, in the given state. */
    async function letterWithText(state: "draft" | "collecting" | "published", deadline?: string) {
      const letter = await insertSignableLetter(store.current().db, {
        state,
        deadline: deadline ?? null,
        privateTokenHash: privateSignOnTokenHash(PRIVATE_KEY),
      });
      await store
        .current()
        .db.updateTable("letter_translations")
        .set({
          addressees: JSON.stringify([
            { heading: "To the Ministers", names: ["Minister of Defence of Ruritania"] },
          ]),
          subject: "Forced returns",
          salutation: "Dear Ministers,",
          body: "We urge you to stop the returns.[^1]\n\n[^1]: Report of the rapporteur, 2023.",
          closing: "Yours sincerely,",
        })
        .where("version_id", "=", letter.versionId)
        .where("language", "=", "en")
        .execute();
      return letter;
    }

    it("shows a private link's signer the whole letter while it collects, and a draft's link says it has not opened", async () => {
      const collecting = await letterWithText("collecting");
      const page = await app.inject({
        method: "GET",
        url: `/letters/${collecting.slug}/sign?key=${PRIVATE_KEY}&lang=en`,
      });
      expect(page.statusCode).toBe(200);
      for (const part of [
        "Minister of Defence of Ruritania",
        "To the Ministers",
        "Dear Ministers,",
        "We urge you to stop the returns.",
        "Report of the rapporteur, 2023.",
        "Yours sincerely,",
      ])
        expect([part, page.body.includes(part)]).toEqual([part, true]);
      expect(page.body).toContain('id="sign-form"');
      const withoutKey = await app.inject({ method: "GET", url: `/letters/${collecting.slug}/sign` });
      expect(withoutKey.statusCode).toBe(404);
      // After signing, the page does not send them back to a letter page that is not public yet.
      const sent = await app.inject({
        method: "GET",
        url: `/letters/${collecting.slug}/sign/sent?key=${PRIVATE_KEY}`,
      });
      expect(sent.statusCode).toBe(200);
      expect(sent.body).not.toContain(`href="/letters/${collecting.slug}"`);
      expect((await app.inject({ method: "GET", url: `/letters/${collecting.slug}` })).statusCode).toBe(404);

      const draft = await letterWithText("draft");
      for (const lang of ["en", "my"] as const) {
        const early = await app.inject({
          method: "GET",
          url: `/letters/${draft.slug}/sign?key=${PRIVATE_KEY}&lang=${lang}`,
        });
        expect(early.statusCode).toBe(200);
        expect(early.body).toContain(escapeHtml(translator(lang)("sign.closedNotYet")));
        expect(early.body).not.toContain("<form");
      }
      expect(
        (await app.inject({ method: "GET", url: `/letters/${draft.slug}/sign?key=wrong` })).statusCode,
      ).toBe(404);
    });

    for (const lang of ["en", "my"] as const) {
      it(`reports every problem of an empty form at once, in an error summary linking to each field (${lang})`, async () => {
        const letter = await letterWithText("published");
        const page = await app.inject({ method: "GET", url: `/letters/${letter.slug}/sign?lang=${lang}` });
        const session = formSession(page);
        const ts = /name="ts" value="([^"]+)"/.exec(page.body)![1]!;
        test.clock.now = new Date(test.clock.now.getTime() + 10_000);
        const refused = await app.inject({
          method: "POST",
          url: `/letters/${letter.slug}/sign?lang=${lang}`,
          headers: { cookie: session.cookie, "content-type": "application/x-www-form-urlencoded" },
          payload: new URLSearchParams({ _csrf: session.csrf, ts }).toString(),
        });
        expect(refused.statusCode).toBe(400);
        const t = translator(lang);
        const title = /<title>([^<]*)<\/title>/.exec(refused.body)![1]!;
        expect(title.startsWith(escapeHtml(t("error.titlePrefix", { title: "" })).trimEnd())).toBe(true);
        const summary = /<div class="error-summary"[^>]*>([\s\S]*?)<\/div>/.exec(refused.body)!;
        expect(summary[0]).toContain("autofocus");
        expect(summary[1]).toContain(escapeHtml(t("error.summaryTitle")));
        // The name is reported with the rest on the first attempt, in the form's order.
        const links = [...summary[1]!.matchAll(/href="#(field-[a-z_]+)"/g)].map((m) => m[1]);
        expect(links).toEqual(["field-name", "field-email", "field-visibility", "field-consent"]);
        for (const id of links) expect(refused.body).toContain(`id="${id}"`);
        expect(summary[1]).toContain(escapeHtml(t("sign.chooseVisibility")));
        expect(summary[1]).toContain(escapeHtml(t("sign.consentRequired")));
        // Every radio of the unanswered question (listed, undisclosed, threshold) is marked invalid.
        expect(
          refused.body.match(/type="radio"[^>]*name="visibility"[^>]*aria-invalid="true"/g),
        ).toHaveLength(3);
      });
    }

    it("calls readers of a published letter to its sign form in both languages while sign-on is open, and not after", async () => {
      const open = await letterWithText("published");
      for (const lang of ["en", "my"] as const) {
        const page = await app.inject({ method: "GET", url: `/letters/${open.slug}?lang=${lang}` });
        expect(page.statusCode).toBe(200);
        expect(page.body).toContain(
          `<a class="button" href="/letters/${open.slug}/sign?lang=${lang}">${escapeHtml(translator(lang)("letter.sign"))}</a>`,
        );
      }
      const past = new Date(test.clock.now.getTime() - 1000).toISOString();
      const closed = await letterWithText("published", past);
      const page = await app.inject({ method: "GET", url: `/letters/${closed.slug}` });
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain(`/letters/${closed.slug}/sign`);
    });
  });
}
