import { describe, expect, it } from "vitest";
import { insertUser } from "../../../../test/accounts.ts";
import { buildTestApp } from "../../../../test/app.ts";
import { csrfOf, FORM, signIn } from "../../../../test/console-session.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertEndorsement } from "../../../../test/endorsement-factory.ts";
import { insertSignableLetter } from "../../../../test/sign-on-factory.ts";

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
      const cookie = await signIn(
        app,
        await insertUser(store.current(), { role: "reviewer", campaigns: [letter.campaignId] }),
      );

      const page = await app.inject({
        method: "GET",
        url: `/admin/letters/${letter.id}/review`,
        headers: { cookie },
      });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain("Athan Media");
      expect(page.body).not.toContain("Quiet Union");
      expect(page.body).toContain(`name="id" value="${b}"`);
      // The key loader: hidden without script, its inputs unnamed so no submission can carry them.
      expect(page.body).toMatch(/<form id="key-loader"[^>]* hidden/);
      expect(page.body).toMatch(/<input id="key-file" type="file"(?![^>]*name=)/);
      expect(page.body).toMatch(/<input id="key-passphrase" type="password"(?![^>]*name=)/);
      expect(page.body).toContain('<script src="/assets/admin/open-sealed.js" defer>');
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
      const after = await app.inject({ method: "GET", url: posted.headers.location!, headers: { cookie } });
      expect(after.body).toContain("Approved 2; 0 skipped");
      await app.close();
    });

    it("refuses a post without the CSRF token and changes nothing", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      const id = await insertEndorsement(db, letter, letter.keyPair.publicKey, { name: "Forged" });
      const cookie = await signIn(
        app,
        await insertUser(store.current(), { role: "coordinator", campaigns: [letter.campaignId] }),
      );
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
      const cookie = await signIn(
        app,
        await insertUser(store.current(), { role: "reviewer", campaigns: [letter.campaignId] }),
      );
      const page = await app.inject({
        method: "GET",
        url: `/admin/letters/${letter.id}/review`,
        headers: { cookie },
      });
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
      const cookie = await signIn(
        app,
        await insertUser(store.current(), { role: "reviewer", campaigns: [letter.campaignId] }),
      );
      for (const file of ["libsodium-sumo.js", "libsodium-wrappers-sumo.js"]) {
        const lib = await app.inject({ method: "GET", url: `/admin/assets/${file}`, headers: { cookie } });
        expect(lib.statusCode).toBe(200);
        expect(lib.headers["content-type"]).toContain("javascript");
      }
      expect(
        (await app.inject({ method: "GET", url: "/admin/assets/../package.json", headers: { cookie } }))
          .statusCode,
      ).toBe(404);
      expect((await app.inject({ method: "GET", url: "/assets/admin/open-sealed.js" })).statusCode).toBe(200);
      await app.close();
    });
  });
}
