import { describe, expect, it } from "vitest";
import { buildTestApp } from "../../../../test/app.ts";
import { csrfOf, FORM, getAs, signInToCampaign } from "../../../../test/console-session.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertEndorsement } from "../../../../test/endorsement-factory.ts";
import { insertSignableLetter } from "../../../../test/sign-on-factory.ts";
import { QUEUE_PAGE } from "../../../queries/list-review-queue.ts";
import { assetUrl } from "../../http/static-assets.ts";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`review queue over HTTP on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("lets a reviewer approve ticked endorsements with one plain form post, without script", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      const key = letter.keyPair.publicKey;
      const a = await insertEndorsement(db, letter, key, { name: "Athan Media", country: "MM" });
      const b = await insertEndorsement(db, letter, key, { name: "Quiet Union", visibility: "undisclosed" });
      const c = await insertEndorsement(db, letter, key, { name: "Left Alone" });
      const cookie = await signInToCampaign(app, store.current(), "reviewer", letter.campaignId);

      const page = await getAs(app, `/admin/letters/${letter.id}/review`, cookie);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain("Athan Media");
      expect(page.body).not.toContain("Quiet Union");
      expect(page.body).toContain(`name="id" value="${b}"`);
      // The key loader: hidden without script, its inputs unnamed so no submission can carry them.
      expect(page.body).toMatch(/<form id="key-loader"[^>]* hidden/);
      expect(page.body).toMatch(/<input id="key-file" type="file"(?![^>]*name=)/);
      expect(page.body).toMatch(/<input id="key-passphrase" type="password"(?![^>]*name=)/);
      expect(page.body).toContain(`<script src="${assetUrl("admin/open-sealed.js")}" defer>`);
      const csp = String(page.headers["content-security-policy"]);
      expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(csp).not.toContain("unsafe-inline");

      const csrf = csrfOf(page.body);
      const posted = await app.inject({
        method: "POST",
        url: `/admin/letters/${letter.id}/review?country=MM`,
        headers: { "content-type": FORM, cookie },
        payload: `_csrf=${encodeURIComponent(csrf)}&id=${a}&id=${b}&action=approve&reason=`,
      });
      expect(posted.statusCode).toBe(303);
      expect(posted.headers.location).toBe(
        `/admin/letters/${letter.id}/review?country=MM&done=approve&changed=2&skipped=0`,
      );
      const states = await db
        .selectFrom("signatures")
        .select(["id", "state"])
        .where("id", "in", [a, b, c])
        .execute();
      expect(Object.fromEntries(states.map((s) => [s.id, s.state]))).toEqual({
        [a]: "approved",
        [b]: "approved",
        [c]: "confirmed",
      });
      const after = await getAs(app, posted.headers.location!, cookie);
      expect(after.body).toContain("Approved 2; 0 skipped");
      await app.close();
    });

    it("approves every row a page shows with one post and no script, never one that arrived later, and counts what waits on the console's home and campaign page", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      const key = letter.keyPair.publicKey;
      for (let i = 0; i < QUEUE_PAGE + 5; i++)
        await insertEndorsement(db, letter, key, {
          name: `Group ${i}`,
          visibility: i % 3 === 0 ? "undisclosed" : "listed",
        });
      const other = await insertSignableLetter(db);
      await insertEndorsement(db, other, other.keyPair.publicKey, { name: "Elsewhere" });
      const cookie = await signInToCampaign(app, store.current(), "reviewer", letter.campaignId);
      const get = (url: string) => app.inject({ method: "GET", url, headers: { cookie } });

      const home = await get("/admin");
      expect(home.body).toContain(`href="/admin/letters/${letter.id}/review"`);
      expect(home.body).toContain(`${QUEUE_PAGE + 5} awaiting review`);
      // Another campaign's queue is not this reviewer's to see, nor its size.
      expect(home.body).not.toContain(`/admin/letters/${other.id}/review`);

      const page = await get(`/admin/letters/${letter.id}/review`);
      expect(page.body).toMatch(
        /<input type="checkbox" id="review-select-all" data-select-all="true" hidden/,
      );
      expect(page.body).toContain(`<script src="${assetUrl("admin/select-all.js")}" defer>`);
      expect(page.body).toContain(`Approve all ${QUEUE_PAGE} shown`);
      const shown = [...page.body.matchAll(/name="shown" value="(\d+)"/g)].map((m) => m[1]);
      expect(shown).toHaveLength(QUEUE_PAGE);
      const late = await insertEndorsement(db, letter, key, { name: "Arrived Later" });

      const posted = await app.inject({
        method: "POST",
        url: `/admin/letters/${letter.id}/review`,
        headers: { "content-type": FORM, cookie },
        payload: `_csrf=${encodeURIComponent(csrfOf(page.body))}&${shown.map((id) => `shown=${id}`).join("&")}&action=approveShown&reason=`,
      });
      expect(posted.statusCode).toBe(303);
      expect(posted.headers.location).toBe(
        `/admin/letters/${letter.id}/review?done=approve&changed=${QUEUE_PAGE}&skipped=0`,
      );
      const approved = await db
        .selectFrom("signatures")
        .select("id")
        .where("letter_id", "=", letter.id)
        .where("state", "=", "approved")
        .execute();
      expect(approved.map((r) => String(r.id)).sort()).toEqual([...shown].sort());
      const lateState = await db
        .selectFrom("signatures")
        .select("state")
        .where("id", "=", late)
        .executeTakeFirstOrThrow();
      expect(lateState.state).toBe("confirmed");

      const campaign = await db
        .selectFrom("campaigns")
        .select("slug")
        .where("id", "=", letter.campaignId)
        .executeTakeFirstOrThrow();
      expect((await get(`/admin/campaigns/${campaign.slug}`)).body).toContain("6 awaiting review");
      expect((await get("/admin?lang=my")).body).toContain("စိစစ်ရန် ၆ ခု စောင့်ဆိုင်းနေသည်");
      await app.close();
    });

    it("refuses a post without the CSRF token and changes nothing", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      const id = await insertEndorsement(db, letter, letter.keyPair.publicKey, { name: "Forged" });
      const cookie = await signInToCampaign(app, store.current(), "coordinator", letter.campaignId);
      const response = await app.inject({
        method: "POST",
        url: `/admin/letters/${letter.id}/review`,
        headers: { "content-type": FORM, cookie },
        payload: `id=${id}&action=approve`,
      });
      expect(response.statusCode).toBe(403);
      const row = await db
        .selectFrom("signatures")
        .select("state")
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      expect(row.state).toBe("confirmed");
      await app.close();
    });

    it("re-renders the queue with a message when nothing was ticked", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      await insertEndorsement(db, letter, letter.keyPair.publicKey, { name: "Waiting" });
      const cookie = await signInToCampaign(app, store.current(), "reviewer", letter.campaignId);
      const page = await getAs(app, `/admin/letters/${letter.id}/review`, cookie);
      const csrf = csrfOf(page.body);
      const response = await app.inject({
        method: "POST",
        url: `/admin/letters/${letter.id}/review`,
        headers: { "content-type": FORM, cookie },
        payload: `_csrf=${encodeURIComponent(csrf)}&action=reject&reason=spam`,
      });
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain("Tick at least one endorsement first.");
      expect(response.body).toContain("Waiting");
      await app.close();
    });

    it("sends visitors without a session to sign in, and serves libsodium-sumo only to the console", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const letter = await insertSignableLetter(store.current().db);
      const anonymous = await app.inject({ method: "GET", url: `/admin/letters/${letter.id}/review` });
      expect(anonymous.statusCode).toBe(303);
      expect((await app.inject({ method: "GET", url: "/admin/assets/libsodium-sumo.js" })).statusCode).toBe(
        303,
      );
      const cookie = await signInToCampaign(app, store.current(), "reviewer", letter.campaignId);
      for (const file of ["libsodium-sumo.js", "libsodium-wrappers-sumo.js"]) {
        const lib = await getAs(app, `/admin/assets/${file}`, cookie);
        expect(lib.statusCode).toBe(200);
        expect(lib.headers["content-type"]).toContain("javascript");
      }
      expect((await getAs(app, "/admin/assets/../package.json", cookie)).statusCode).toBe(404);
      expect((await app.inject({ method: "GET", url: assetUrl("admin/open-sealed.js") })).statusCode).toBe(
        200,
      );
      await app.close();
    });
  });
}
