import { describe, expect, it } from "vitest";
import { buildTestApp } from "../../../../test/app.ts";
import { csrfOf, FORM, getAs, signInToCampaign } from "../../../../test/console-session.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertEndorsement } from "../../../../test/endorsement-factory.ts";
import { insertSignableLetter } from "../../../../test/sign-on-factory.ts";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`duplicates and corrections over HTTP on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("shows a pair side by side, merges it with one post, and corrects a name through the form", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      const key = letter.keyPair.publicKey;
      const first = await insertEndorsement(db, letter, key, {
        name: "Org for Human Rights (Burma)",
        at: "2026-02-01T00:00:00.000Z",
      });
      const second = await insertEndorsement(db, letter, key, {
        name: "Organisation for Human Rights – Myanmar",
        at: "2026-02-02T00:00:00.000Z",
      });
      const typo = await insertEndorsement(db, letter, key, { name: "Karen Womens Organsation" });
      const cookie = await signInToCampaign(app, store.current(), "coordinator", letter.campaignId);

      const page = await getAs(app, `/admin/letters/${letter.id}/duplicates`, cookie);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain("Org for Human Rights (Burma)");
      expect(page.body).toContain("Similarity 100%");
      const merged = await app.inject({
        method: "POST",
        url: `/admin/letters/${letter.id}/duplicates/merge`,
        headers: { "content-type": FORM, cookie },
        payload: new URLSearchParams({
          _csrf: csrfOf(page.body),
          first: String(first),
          second: String(second),
        }).toString(),
      });
      expect(merged.statusCode).toBe(303);
      const row = await db
        .selectFrom("signatures")
        .select(["state", "merged_into_id"])
        .where("id", "=", second)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ state: "merged", merged_into_id: first });

      const form = await getAs(app, `/admin/letters/${letter.id}/endorsements/${typo}/correct`, cookie);
      expect(form.body).toContain('value="Karen Womens Organsation"');
      const bad = await app.inject({
        method: "POST",
        url: `/admin/letters/${letter.id}/endorsements/${typo}/correct`,
        headers: { "content-type": FORM, cookie },
        payload: new URLSearchParams({ _csrf: csrfOf(form.body), name: "", country: "MM" }).toString(),
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('<option value="MM" selected');
      const fixed = await app.inject({
        method: "POST",
        url: `/admin/letters/${letter.id}/endorsements/${typo}/correct`,
        headers: { "content-type": FORM, cookie },
        payload: new URLSearchParams({
          _csrf: csrfOf(form.body),
          name: "Karen Women's Organisation",
          country: "MM",
        }).toString(),
      });
      expect(fixed.statusCode).toBe(303);
      const corrected = await db
        .selectFrom("signatures")
        .select(["display_name", "country"])
        .where("id", "=", typo)
        .executeTakeFirstOrThrow();
      expect(corrected).toEqual({ display_name: "Karen Women's Organisation", country: "MM" });
      await app.close();
    });

    it("keeps reviewers out of merges and corrections", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const letter = await insertSignableLetter(store.current().db);
      const cookie = await signInToCampaign(app, store.current(), "reviewer", letter.campaignId);
      const page = await getAs(app, `/admin/letters/${letter.id}/duplicates`, cookie);
      expect(page.statusCode).toBe(403);
      await app.close();
    });
  });
}
