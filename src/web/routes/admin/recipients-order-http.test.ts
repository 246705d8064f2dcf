import { describe, expect, it } from "vitest";
import { insertUser } from "../../../../test/accounts.ts";
import { csrfOf, FORM, signIn } from "../../../../test/console-session.ts";
import { DIALECTS } from "../../../../test/databases.ts";
import { insertCampaign, insertLetter, insertLetterInNewCampaign } from "../../../../test/letter-factory.ts";
import { form, useRecipientsConsole } from "../../../../test/recipients-console.ts";

/*
 * Reordering recipients and renaming and removing stances as a coordinator does it, without script: the
 * console and the public tracker follow.
 */

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`recipient order and stances over HTTP on ${dialect.label}`, () => {
    const { store, app, page } = useRecipientsConsole(dialect.name);

    it("reorders recipients and renames and removes stances; the console and the public tracker follow", async () => {
      const { db } = store.current();
      const { campaign, letter } = await insertLetterInNewCampaign(db, [
        { language: "en", title: "Order matters", body: "We ask." },
        { language: "my", title: "အစီအစဉ်", body: "တောင်းဆိုပါသည်။" },
      ]);
      const other = await insertLetter(db, { campaignId: campaign.id });
      const cookie = await signIn(app(), await insertUser(store.current(), { role: "owner" }));
      const base = `/admin/letters/${letter.id}/recipients`;
      const csrf = csrfOf(await page(base, cookie));
      const post = (url: string, fields: Record<string, string | string[]>, token = csrf) =>
        app().inject({
          method: "POST",
          url,
          headers: { "content-type": FORM, cookie },
          payload: form({ _csrf: token, ...fields }),
        });
      for (const name of ["Alpha Minister", "Bravo Envoy", "Charlie Secretary"])
        expect((await post(base, { name, addresseeGroup: "The Ministers of" })).statusCode).toBe(303);
      expect((await post(`/admin/letters/${other.id}/recipients`, { name: "Elsewhere" })).statusCode).toBe(
        303,
      );
      const idOf = async (name: string) =>
        (
          await db
            .selectFrom("recipients")
            .select("id")
            .where("name", "=", name)
            .orderBy("id", "desc")
            .executeTakeFirstOrThrow()
        ).id;
      const [alpha, bravo, charlie, elsewhere] = await Promise.all(
        ["Alpha Minister", "Bravo Envoy", "Charlie Secretary", "Elsewhere"].map(idOf),
      );
      expect(
        (await post(`${base}/${alpha}/deliveries`, { method: "hand", deliveredOn: "2026-02-27" })).statusCode,
      ).toBe(303);
      const names = ["Alpha Minister", "Bravo Envoy", "Charlie Secretary"];
      const order = (html: string) =>
        names
          .map((n) => ({ n, at: html.indexOf(n) }))
          .sort((x, y) => x.at - y.at)
          .map((x) => x.n);
      const publicPage = () => page(`/letters/${letter.slug}`);
      expect(order(await publicPage())).toEqual(names);

      // Up and down are buttons of plain forms; the first cannot go up, the last cannot go down.
      const list = await page(base, cookie);
      expect(order(list)).toEqual(names);
      expect(list).toContain(`<form method="post" action="${base}/${charlie}/move"`);
      expect(list).toMatch(new RegExp(`form="move-${alpha}" name="direction" value="up" disabled`));
      expect(list).toMatch(new RegExp(`form="move-${charlie}" name="direction" value="down" disabled`));
      expect(list).not.toMatch(new RegExp(`form="move-${bravo}" name="direction" value="up" disabled`));

      const moved = await post(`${base}/${charlie}/move`, { direction: "up" });
      expect(moved.statusCode).toBe(303);
      expect(moved.headers.location).toBe(`${base}?notice=moved#r-${charlie}`);
      const after = await page(`${base}?notice=moved`, cookie);
      expect(after).toContain("The order of the recipients has been changed.");
      expect(order(after)).toEqual(["Alpha Minister", "Charlie Secretary", "Bravo Envoy"]);
      // The public page was cached before the move; it shows the new order at once.
      expect(order(await publicPage())).toEqual(["Alpha Minister", "Charlie Secretary", "Bravo Envoy"]);
      expect((await post(`${base}/${alpha}/move`, { direction: "down" })).statusCode).toBe(303);
      expect(order(await publicPage())).toEqual(["Charlie Secretary", "Alpha Minister", "Bravo Envoy"]);

      const first = await post(`${base}/${charlie}/move`, { direction: "up" });
      expect(first.statusCode).toBe(409);
      expect(first.body).toContain("This recipient is already first on the list.");
      const last = await post(`${base}/${bravo}/move`, { direction: "down" });
      expect(last.statusCode).toBe(409);
      expect(last.body).toContain("This recipient is already last on the list.");
      expect((await post(`${base}/${bravo}/move`, { direction: "sideways" })).statusCode).toBe(400);
      expect((await post(`${base}/${elsewhere}/move`, { direction: "up" })).statusCode).toBe(404);
      expect((await post(`${base}/${bravo}/move`, { direction: "up" }, "forged")).statusCode).toBe(403);
      expect(order(await page(base, cookie))).toEqual(["Charlie Secretary", "Alpha Minister", "Bravo Envoy"]);

      // A stance, tagged on two recipients, renamed, then removed.
      const stances = `/admin/campaigns/${campaign.slug}/stances`;
      expect((await post(stances, { label: "declined", en: "declined", my: "ငြင်းဆိုသည်" })).statusCode).toBe(
        303,
      );
      const { id: stanceId } = await db
        .selectFrom("stances")
        .select("id")
        .where("campaign_id", "=", campaign.id)
        .executeTakeFirstOrThrow();
      for (const id of [alpha, charlie])
        expect((await post(`${base}/${id}/stances`, { stance: String(stanceId) })).statusCode).toBe(303);
      expect(await publicPage()).toContain("<li>declined</li>");

      const p = `s${stanceId}-`;
      const blank = await post(`${stances}/${stanceId}`, {
        [`${p}label`]: " ",
        [`${p}en`]: "kept in English",
        [`${p}my`]: "မြန်မာ",
      });
      expect(blank.statusCode).toBe(400);
      expect(blank.body).toContain('value="kept in English"');
      expect(blank.body).toContain('value="မြန်မာ"');
      const renamed = await post(`${stances}/${stanceId}`, {
        [`${p}label`]: "declined to attend",
        [`${p}en`]: "declined to attend",
        [`${p}my`]: "တက်ရောက်ရန် ငြင်းဆိုခဲ့သည်",
      });
      expect(renamed.statusCode).toBe(303);
      expect(await publicPage()).toContain("<li>declined to attend</li>");
      expect(await page(`/letters/${letter.slug}?lang=my`)).toContain("<li>တက်ရောက်ရန် ငြင်းဆိုခဲ့သည်</li>");

      const stancesPage = await page(stances, cookie);
      expect(stancesPage).toContain(`href="${stances}/${stanceId}/remove"`);
      const confirm = await page(`${stances}/${stanceId}/remove`, cookie);
      expect(confirm).toContain("2 recipients carry this stance.");
      expect(confirm).toContain(`<form method="post" action="${stances}/${stanceId}/remove"`);
      const forged = await post(`${stances}/${stanceId}/remove`, {}, "forged");
      expect(forged.statusCode).toBe(403);
      expect(forged.body).toContain("2 recipients carry this stance.");

      // Another campaign's stance is not this campaign's to remove; a reviewer may not remove any.
      const otherCampaign = await insertCampaign(db);
      const { id: foreign } = await db
        .insertInto("stances")
        .values({
          campaign_id: otherCampaign.id,
          label: "foreign",
          translations: "{}",
          created_at: "2026-01-01T00:00:00.000Z",
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      expect(
        (await app().inject({ method: "GET", url: `${stances}/${foreign}/remove`, headers: { cookie } }))
          .statusCode,
      ).toBe(404);
      expect((await post(`${stances}/${foreign}/remove`, {})).statusCode).toBe(404);
      expect((await post(`${stances}/${foreign}`, { [`s${foreign}-label`]: "mine now" })).statusCode).toBe(
        404,
      );
      const reviewerUser = await insertUser(store.current(), {
        role: "reviewer",
        campaigns: [campaign.id],
      });
      const reviewer = await signIn(app(), reviewerUser);
      const reviewerPage = await app().inject({
        method: "GET",
        url: "/admin",
        headers: { cookie: reviewer },
      });
      for (const [url, fields] of [
        [`${stances}/${stanceId}/remove`, {}],
        [`${stances}/${stanceId}`, { [`${p}label`]: "renamed by a reviewer" }],
        [`${base}/${bravo}/move`, { direction: "up" }],
      ] as const) {
        const refused = await app().inject({
          method: "POST",
          url,
          headers: { "content-type": FORM, cookie: reviewer },
          payload: form({ _csrf: csrfOf(reviewerPage.body), ...fields }),
        });
        expect(refused.statusCode).toBe(403);
        expect(refused.body).toContain("You do not have permission to do that.");
      }
      expect(
        (
          await app().inject({
            method: "GET",
            url: `${stances}/${stanceId}/remove`,
            headers: { cookie: reviewer },
          })
        ).statusCode,
      ).toBe(403);

      const removed = await post(`${stances}/${stanceId}/remove`, {});
      expect(removed.statusCode).toBe(303);
      expect(removed.headers.location).toBe(`${stances}?notice=removed`);
      expect(await page(`${stances}?notice=removed`, cookie)).toContain("The stance has been removed.");
      expect(
        await db
          .selectFrom("recipient_stances")
          .select("stance_id")
          .where("stance_id", "=", stanceId)
          .execute(),
      ).toEqual([]);
      const english = await publicPage();
      expect(english).not.toContain("declined to attend");
      expect(await page(`/letters/${letter.slug}?lang=my`)).not.toContain("တက်ရောက်ရန် ငြင်းဆိုခဲ့သည်");
      expect(order(english)).toEqual(["Charlie Secretary", "Alpha Minister", "Bravo Envoy"]);
      const audit = await db
        .selectFrom("audit_entries")
        .select(["action", "detail"])
        .where("campaign_id", "=", campaign.id)
        .where("action", "in", ["stance.update", "stance.remove", "recipient.move"])
        .orderBy("id")
        .execute();
      expect(audit.map((e) => [e.action, JSON.parse(e.detail)])).toEqual([
        ["recipient.move", { name: "Charlie Secretary", direction: "up", position: 2 }],
        ["recipient.move", { name: "Alpha Minister", direction: "down", position: 2 }],
        ["stance.update", { label: "declined to attend" }],
        ["stance.remove", { label: "declined to attend", recipients: 2, letters: 1 }],
      ]);
    });
  });
}
