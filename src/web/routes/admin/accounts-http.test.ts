import { describe, expect, it } from "vitest";
import { insertUser } from "../../../../test/accounts.ts";
import { buildTestApp, formSession } from "../../../../test/app.ts";
import { cookieHeader, getAs, signInAndLand as signIn } from "../../../../test/console-session.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { createSetupLink } from "../../../commands/create-setup-link.ts";
import { totpCode } from "../../../crypto/totp.ts";
import { storeInLocalMailbox } from "../../../mail/mailbox.ts";
import type { Store } from "../../../store/db.ts";

const form = (fields: Record<string, string>) => ({
  headers: { "content-type": "application/x-www-form-urlencoded" },
  payload: new URLSearchParams(fields).toString(),
});

async function sessionCount(store: Store, userId: number): Promise<number> {
  const rows = await store.db.selectFrom("sessions").select("id").where("user_id", "=", userId).execute();
  return rows.length;
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`accounts over HTTP on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    /** A fresh app, an account in it, and the form page at `url` as a browser opens it: its cookie and token. */
    async function openFormWithAnAccount(url: string, account: { totp?: boolean } = {}) {
      const test = await buildTestApp(store.current(), store.dataDir());
      const user = await insertUser(store.current(), account);
      const { cookie, csrf } = formSession(await test.app.inject({ method: "GET", url }));
      return { ...test, user, cookie, csrf };
    }

    it("refuses a sign-in without the CSRF token, keeping the typed address but never the password", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const user = await insertUser(store.current());
      const response = await app.inject({
        method: "POST",
        url: "/admin/login",
        ...form({ email: user.email, password: user.password }),
      });
      expect(response.statusCode).toBe(403);
      expect(response.body).toContain("This form has expired or was sent from another site.");
      expect(response.body).toContain(`value="${user.email}"`);
      expect(response.body).not.toContain(user.password);
      expect(response.cookies.find((c) => c.name === "us_session")).toBeUndefined();
      await app.close();
    });

    it("re-renders a failed sign-in in the page's language with the address and without the password", async () => {
      const { app, user, cookie, csrf } = await openFormWithAnAccount("/admin/login?lang=my");
      const response = await app.inject({
        method: "POST",
        url: "/admin/login",
        ...form({ _csrf: csrf, email: user.email, password: "wrong but typed" }),
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: `${cookie}; us_lang=my` },
      });
      expect(response.statusCode).toBe(401);
      expect(response.body).toContain("အီးမေးလ်လိပ်စာ သို့မဟုတ် စကားဝှက် မမှန်ပါ။");
      expect(response.body).toContain(`value="${user.email}"`);
      expect(response.body).not.toContain("wrong but typed");

      const invalid = await app.inject({
        method: "POST",
        url: "/admin/login",
        ...form({ _csrf: csrf, email: "not an address", password: "typed secret" }),
        headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      });
      expect(invalid.statusCode).toBe(400);
      expect(invalid.body).toContain("Enter an email address like name@example.org.");
      expect(invalid.body).toContain('value="not an address"');
      expect(invalid.body).not.toContain("typed secret");
      await app.close();
    });

    it("sets HttpOnly, SameSite=Lax cookies: plain and scoped to /admin over HTTP, Secure and __Host- over HTTPS", async () => {
      const user = await insertUser(store.current());
      for (const [baseUrl, prefix, path] of [
        ["http://127.0.0.1:3000", "", "/admin"],
        ["https://letters.example.org", "__Host-", "/"],
      ] as const) {
        const { app } = await buildTestApp(store.current(), store.dataDir(), { BASE_URL: baseUrl });
        const page = await app.inject({ method: "GET", url: "/admin/login?lang=my" });
        const csrfCookie = page.cookies.find((c) => c.name === `${prefix}us_csrf`);
        expect(csrfCookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
        expect(Boolean(csrfCookie?.secure)).toBe(prefix !== "");
        expect(page.cookies.find((c) => c.name === `${prefix}us_lang`)).toMatchObject({ path: "/" });
        const { cookie, csrf } = formSession(page);
        const post = (cookieHeader: string) =>
          app.inject({
            method: "POST",
            url: "/admin/login",
            ...form({ _csrf: csrf, email: user.email, password: user.password }),
            headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader },
          });
        if (prefix) {
          // The same cookie under its plain name, as anyone on a sibling domain could plant it: ignored.
          const planted = await post(cookie.replace(prefix, ""));
          expect(planted.statusCode).toBe(403);
        }
        const response = await post(cookie);
        expect(response.statusCode).toBe(303);
        const session = response.cookies.find((c) => c.name === `${prefix}us_session`);
        expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", path });
        expect(Boolean(session?.secure)).toBe(prefix !== "");
        expect(session?.maxAge).toBeUndefined();
        const console = await app.inject({
          method: "GET",
          url: "/admin",
          headers: { cookie: `${cookie}; ${session!.name}=${session!.value}` },
        });
        expect(console.statusCode).toBe(200);
        await app.close();
      }
    });

    it("sends a visitor without a session to sign in, and back to the page afterwards", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const response = await app.inject({ method: "GET", url: "/admin/security" });
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe("/admin/login?next=%2Fadmin%2Fsecurity");

      const user = await insertUser(store.current());
      const page = await app.inject({ method: "GET", url: response.headers.location as string });
      expect(page.body).toContain('name="next" value="/admin/security"');
      const { cookie, csrf } = formSession(page);
      const signInThenGoTo = (next: string) =>
        app.inject({
          method: "POST",
          url: "/admin/login",
          ...form({ _csrf: csrf, email: user.email, password: user.password, next }),
          headers: { "content-type": "application/x-www-form-urlencoded", cookie },
        });
      const signedIn = await signInThenGoTo("/admin/security");
      expect(signedIn.headers.location).toBe("/admin/security");

      const offsite = await signInThenGoTo("//evil.example/x");
      expect(offsite.headers.location).toBe("/admin");
      await app.close();
    });

    it("keeps a reviewer out of the local mailbox (403) and lets the owner in", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const reviewer = await insertUser(store.current(), { role: "reviewer" });
      const { cookie: asReviewer } = await signIn(app, reviewer);
      const refused = await getAs(app, "/admin/mailbox", asReviewer);
      expect(refused.statusCode).toBe(403);
      expect(refused.body).toContain("You do not have permission to do that.");
      const home = await app.inject({ method: "GET", url: "/admin", headers: { cookie: asReviewer } });
      expect(home.statusCode).toBe(200);
      expect(home.body).not.toContain('href="/admin/mailbox"');

      const owner = await insertUser(store.current(), { role: "owner" });
      const { cookie: asOwner } = await signIn(app, owner);
      await storeInLocalMailbox(store.dataDir(), {
        messageId: "<probe@letters.example.org>",
        raw: Buffer.from(
          "Subject: Reset your Undersigned password\r\nDate: Sun, 01 Mar 2026 08:00:00 +0000\r\n\r\nOpen http://127.0.0.1:3000/admin/password/reset/abc <now>\r\n",
        ),
      });
      const mailbox = await getAs(app, "/admin/mailbox", asOwner);
      expect(mailbox.statusCode).toBe(200);
      expect(mailbox.body).toContain("<h2>Reset your Undersigned password</h2>");
      expect(mailbox.body).toContain(
        '<a href="http://127.0.0.1:3000/admin/password/reset/abc" rel="noreferrer">',
      );
      expect(mailbox.body).toContain("&lt;now>");
      await app.close();
    });

    it("ends the session on the server at sign-out, so the old cookie opens nothing", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const user = await insertUser(store.current());
      const { cookie, csrf } = await signIn(app, user);
      const home = await app.inject({ method: "GET", url: "/admin", headers: { cookie } });
      expect(home.statusCode).toBe(200);
      expect(await sessionCount(store.current(), user.id)).toBe(1);

      const out = await app.inject({
        method: "POST",
        url: "/admin/logout",
        ...form({ _csrf: csrf }),
        headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      });
      expect(out.statusCode).toBe(303);
      expect(out.headers.location).toBe("/admin/login?notice=signed_out");
      expect(out.cookies.find((c) => c.name === "us_session")?.value).toBe("");
      expect(await sessionCount(store.current(), user.id)).toBe(0);

      const replay = await app.inject({ method: "GET", url: "/admin", headers: { cookie } });
      expect(replay.statusCode).toBe(303);
      await app.close();
    });

    it("holds a TOTP account at the code page until the code is given", async () => {
      const { app, clock, user, cookie, csrf } = await openFormWithAnAccount("/admin/login", { totp: true });
      const response = await app.inject({
        method: "POST",
        url: "/admin/login",
        ...form({ _csrf: csrf, email: user.email, password: user.password }),
        headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      });
      expect(response.headers.location).toBe("/admin/login/code");
      const pending = cookieHeader(cookie, response);
      expect(
        (await app.inject({ method: "GET", url: "/admin", headers: { cookie: pending } })).statusCode,
      ).toBe(303);
      // The code page's form carries a token bound to the session waiting for its code.
      const codePage = await app.inject({
        method: "GET",
        url: "/admin/login/code",
        headers: { cookie: pending },
      });
      const codeCsrf = /name="_csrf" value="([^"]+)"/.exec(codePage.body)![1]!;

      const wrong = await app.inject({
        method: "POST",
        url: "/admin/login/code",
        ...form({ _csrf: codeCsrf, code: "000000" }),
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: pending },
      });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.body).toContain("That code is not right.");
      const right = await app.inject({
        method: "POST",
        url: "/admin/login/code",
        ...form({ _csrf: codeCsrf, code: totpCode(user.totpSecret!, clock.now) }),
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: pending },
      });
      expect(right.headers.location).toBe("/admin");
      expect(
        (await app.inject({ method: "GET", url: "/admin", headers: { cookie: pending } })).statusCode,
      ).toBe(200);
      await app.close();
    });

    it("resets a forgotten password by mail, answering the same for unknown addresses", async () => {
      const { app, user, cookie, csrf } = await openFormWithAnAccount("/admin/password/forgot");
      const headers = { "content-type": "application/x-www-form-urlencoded", cookie };
      const answers = [];
      for (const email of [user.email, "nobody@example.org"]) {
        const response = await app.inject({
          method: "POST",
          url: "/admin/password/forgot",
          ...form({ _csrf: csrf, email }),
          headers,
        });
        expect(response.statusCode).toBe(200);
        answers.push(response.body.replace(/name="_csrf" value="[^"]+"/, ""));
      }
      expect(answers[1]).toBe(answers[0]);
      expect(answers[0]).toContain("If an account exists for that address, a link is on its way.");

      const mail = await store
        .current()
        .db.selectFrom("outbox_messages")
        .select("text_body")
        .where("to_address", "=", user.email)
        .executeTakeFirstOrThrow();
      const url = new URL(/http\S+\/admin\/password\/reset\/\S+/.exec(mail.text_body)![0]).pathname;
      expect((await app.inject({ method: "GET", url })).statusCode).toBe(200);
      const short = await app.inject({
        method: "POST",
        url,
        ...form({ _csrf: csrf, password: "short", passwordRepeat: "short" }),
        headers,
      });
      expect(short.statusCode).toBe(400);
      expect(short.body).toContain("Use at least 12 characters.");
      const done = await app.inject({
        method: "POST",
        url,
        ...form({ _csrf: csrf, password: "a new long passphrase", passwordRepeat: "a new long passphrase" }),
        headers,
      });
      expect(done.headers.location).toBe("/admin/login?notice=reset");
      const login = await app.inject({ method: "GET", url: "/admin/login?notice=reset" });
      expect(login.body).toContain("Your password has been changed. Please sign in.");
      expect((await app.inject({ method: "GET", url })).statusCode).toBe(410);
      await app.close();
    });

    it("turns TOTP off only with the right password, re-rendering the page otherwise", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const user = await insertUser(store.current());
      const { cookie, csrf } = await signIn(app, user);
      const headers = { "content-type": "application/x-www-form-urlencoded", cookie };
      await store
        .current()
        .db.updateTable("users")
        .set({
          totp_secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
          totp_enabled_at: "2026-01-01T00:00:00.000Z",
          recovery_codes: "[]",
        })
        .where("id", "=", user.id)
        .execute();

      const none = await app.inject({
        method: "POST",
        url: "/admin/security/totp/disable",
        ...form({ _csrf: csrf }),
        headers,
      });
      expect(none.statusCode).toBe(400);
      expect(none.body).toContain("Enter your password or a code from your app.");
      const wrong = await app.inject({
        method: "POST",
        url: "/admin/security/totp/disable",
        ...form({ _csrf: csrf, password: "not the password" }),
        headers,
      });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.body).toContain("That password or code is not right.");
      expect(wrong.body).not.toContain("not the password");
      const right = await app.inject({
        method: "POST",
        url: "/admin/security/totp/disable",
        ...form({ _csrf: csrf, password: user.password }),
        headers,
      });
      expect(right.headers.location).toBe("/admin/security");
      const page = await app.inject({ method: "GET", url: "/admin/security", headers: { cookie } });
      expect(page.body).toContain("Two-factor authentication is off.");
      await app.close();
    });

    it("creates the owner from the set-up link, keeping what was typed when a field is wrong", async () => {
      const { app, deps, clock } = await buildTestApp(store.current(), store.dataDir());
      await store.current().db.deleteFrom("users").execute();
      const setup = await createSetupLink(deps, { actor: "cli", replace: true }, clock.now);
      if (setup.outcome !== "created") throw new Error(`no set-up link: ${setup.outcome}`);
      const url = new URL(setup.link).pathname;
      const page = await app.inject({ method: "GET", url });
      expect(page.statusCode).toBe(200);
      const { cookie, csrf } = formSession(page);
      const headers = { "content-type": "application/x-www-form-urlencoded", cookie };
      const mismatch = await app.inject({
        method: "POST",
        url,
        ...form({
          _csrf: csrf,
          name: "Ko Test",
          email: "owner@example.org",
          password: "first passphrase",
          passwordRepeat: "other passphrase",
        }),
        headers,
      });
      expect(mismatch.statusCode).toBe(400);
      expect(mismatch.body).toContain("The two passwords do not match.");
      expect(mismatch.body).toContain('value="Ko Test"');
      expect(mismatch.body).not.toContain("first passphrase");

      const created = await app.inject({
        method: "POST",
        url,
        ...form({
          _csrf: csrf,
          name: "Ko Test",
          email: "owner@example.org",
          password: "first passphrase",
          passwordRepeat: "first passphrase",
        }),
        headers,
      });
      expect(created.statusCode).toBe(303);
      expect(created.headers.location).toBe("/admin/security?welcome=1");
      const security = await app.inject({
        method: "GET",
        url: "/admin/security?welcome=1",
        headers: { cookie: cookieHeader(cookie, created) },
      });
      expect(security.body).toContain("Your owner account is ready.");

      const again = await app.inject({ method: "GET", url });
      expect(again.statusCode).toBe(410);
      await app.close();
    });
  });
}
