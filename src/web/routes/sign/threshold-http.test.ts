import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, formSession, openAndConfirm, type TestApp } from "../../../../test/app.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertSignatures } from "../../../../test/letter-factory.ts";
import { insertSignableLetter } from "../../../../test/sign-on-factory.ts";
import { signatureOf } from "../../../../test/signature-rows.ts";
import { listThresholdEndorsements } from "../../../commands/list-threshold-endorsements.ts";
import { openSealed } from "../../../crypto/seal.ts";
import { translator } from "../../../i18n/index.ts";

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** An organisation that would be listed once three others are, typed in Burmese. */
const typed = {
  kind: "organisation",
  visibility: "threshold",
  threshold: "3",
  name: "ရန်ကုန် ဆရာများ အသင်း",
  email: "office@example.org",
  consent: "yes",
};

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`threshold disclosure over HTTP on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    let test: TestApp;
    let app: FastifyInstance;
    let letter: Awaited<ReturnType<typeof insertSignableLetter>>;

    beforeAll(async () => {
      test = await buildTestApp(store.current(), store.dataDir(), { BASE_URL: "http://localhost:3000" });
      app = test.app;
      letter = await insertSignableLetter(store.current().db, { moderation: true });
      return () => app.close();
    });

    async function openForm(lang = "en") {
      const page = await app.inject({ method: "GET", url: `/letters/${letter.slug}/sign?lang=${lang}` });
      expect(page.statusCode).toBe(200);
      const ts = /name="ts" value="([^"]+)"/.exec(page.body)![1]!;
      test.clock.now = new Date(test.clock.now.getTime() + 10_000);
      return { ...formSession(page), ts, page };
    }
    const post = (
      form: { cookie: string; csrf: string; ts: string },
      fields: Record<string, string>,
      lang: string,
    ) =>
      app.inject({
        method: "POST",
        url: `/letters/${letter.slug}/sign?lang=${lang}`,
        headers: { cookie: form.cookie, "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({ _csrf: form.csrf, ts: form.ts, ...fields }).toString(),
      });

    it("offers the third choice with its number (50 by default) and optional date, in Burmese", async () => {
      const { page } = await openForm("my");
      const t = translator("my");
      expect(page.body).toContain('value="threshold"');
      expect(page.body).toContain(escapeHtml(t("sign.threshold")));
      expect(page.body).toContain(escapeHtml(t("sign.thresholdCount")));
      expect(page.body).toMatch(/name="threshold" value="50"/);
      expect(page.body).toMatch(/type="date"[^>]*name="disclose_on"/);
    });

    it("refuses a bad number or date in Burmese and keeps everything typed", async () => {
      const form = await openForm("my");
      const res = await post(form, { ...typed, threshold: "ten", disclose_on: "next week" }, "my");
      expect(res.statusCode).toBe(400);
      const t = translator("my");
      expect(res.body).toContain(escapeHtml(t("sign.thresholdInvalid")));
      expect(res.body).toContain(escapeHtml(t("sign.discloseOnInvalid")));
      expect(res.body).toContain('value="threshold" checked');
      expect(res.body).toContain('value="ten"');
      expect(res.body).toContain('value="next week"');
      expect(res.body).toContain(`value="${typed.name}"`);
    });

    it("stores a threshold endorsement as undisclosed, sealed on receipt, with only the condition in the clear", async () => {
      const form = await openForm("my");
      const res = await post(form, { ...typed, disclose_on: "2027-06-01" }, "my");
      expect(res.statusCode).toBe(303);
      const row = await signatureOf(store.current().db, letter.id);
      expect(row).toMatchObject({
        visibility: "undisclosed",
        disclose_threshold: 3,
        disclose_on: "2027-06-01",
        disclosed_on: null,
        display_name: null,
        match_key: null,
        skeleton: null,
        country: null,
        category: null,
      });
      expect(JSON.stringify(row)).not.toContain("ဆရာ");
      expect(JSON.parse(await openSealed(row.sealed_identity!, letter.keyPair))).toMatchObject({
        name: typed.name,
      });
    });

    it("tells the signer the condition and its state, lets them change it until listed, then says since when", async () => {
      const mail = await store
        .current()
        .db.selectFrom("outbox_messages")
        .select("text_body")
        .where("purpose", "=", "confirmation")
        .executeTakeFirstOrThrow();
      const link = /http:\/\/localhost:3000(\/letters\/\S+)/
        .exec(mail.text_body)![1]!
        .replace("lang=my", "lang=en");
      const { receipt } = await openAndConfirm(app, link);
      expect(receipt.statusCode).toBe(200);
      expect(receipt.body).toContain("List our name once at least 3 other organisations are listed, or from");
      expect(receipt.body).toContain("Waiting: 0 listed so far.");
      const manage = /class="manage-link">http:\/\/localhost:3000([^<]+)</.exec(receipt.body)![1]!;

      const page = await app.inject({ method: "GET", url: `${manage}?lang=my` });
      const session = formSession(page);
      expect(page.body).toContain(`action="${manage}/condition"`);
      expect(page.body).toContain(escapeHtml(translator("my")("threshold.listNow")));
      const postCondition = (fields: Record<string, string>, lang = "en") =>
        app.inject({
          method: "POST",
          url: `${manage}/condition?lang=${lang}`,
          headers: { cookie: session.cookie, "content-type": "application/x-www-form-urlencoded" },
          payload: new URLSearchParams({ _csrf: session.csrf, ...fields }).toString(),
        });
      const bad = await postCondition({ visibility: "threshold", threshold: "-4", disclose_on: "" }, "my");
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain(escapeHtml(translator("my")("sign.thresholdInvalid")));
      expect(bad.body).toContain('value="-4"');
      const changed = await postCondition({ visibility: "threshold", threshold: "1", disclose_on: "" });
      expect(changed.statusCode).toBe(303);
      const after = await app.inject({ method: "GET", url: changed.headers.location as string });
      expect(after.body).toContain("Your listing condition has been saved.");
      expect(after.body).toContain("List our name once at least 1 other organisations are listed.");

      await insertSignatures(store.current().db, letter, [{ displayName: "Already Listed" }]);
      expect((await app.inject({ method: "GET", url: manage })).body).toContain(
        "Condition met: the coordinators will list your name.",
      );
      const signature = await store
        .current()
        .db.selectFrom("signatures")
        .select("id")
        .where("letter_id", "=", letter.id)
        .where("visibility", "=", "undisclosed")
        .executeTakeFirstOrThrow();
      await listThresholdEndorsements(
        test.deps,
        {
          actor: "cli",
          letterId: letter.id,
          endorsements: [{ signatureId: signature.id, name: typed.name }],
        },
        test.clock.now,
      );
      const listed = await app.inject({ method: "GET", url: manage });
      expect(listed.body).toContain("Listed since");
      expect(listed.body).toContain(escapeHtml(typed.name));
      expect(listed.body).not.toContain(`action="${manage}/condition"`);
      const late = await postCondition({ visibility: "undisclosed" });
      expect(late.statusCode).toBe(409);
      expect(late.body).toContain("Your name is already listed");
      const letterPage = await app.inject({ method: "GET", url: `/letters/${letter.slug}` });
      expect(letterPage.body).toContain(escapeHtml(typed.name));
    });
  });
}
