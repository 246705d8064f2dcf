import type { FastifyInstance } from "fastify";
import { describe, expect, it } from "vitest";
import { insertUser, type TestUser } from "../../../../test/accounts.ts";
import { buildTestApp, formSession } from "../../../../test/app.ts";
import { csrfOf, FORM, signIn } from "../../../../test/console-session.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertSignableLetter } from "../../../../test/sign-on-factory.ts";
import { SIGNING_PAUSED_SETTING } from "../../../domain/sign-on-rules.ts";
import { getSetting } from "../../../store/settings.ts";

/** Signs in, then takes the session's form token from a console page, as a browser holds both. */
async function consoleSession(
  app: FastifyInstance,
  user: TestUser,
): Promise<{ cookie: string; csrf: string }> {
  const cookie = await signIn(app, user);
  const page = await app.inject({ method: "GET", url: "/admin/security", headers: { cookie } });
  return { cookie, csrf: csrfOf(page.body) };
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`the pause-signing switch over HTTP on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("lets an owner pause and resume every sign form, with CSRF, audited, in both languages", async () => {
      const { app, clock } = await buildTestApp(store.current(), store.dataDir());
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      const owner = await insertUser(store.current(), { role: "owner" });
      const session = await consoleSession(app, owner);
      const settings = (lang = "en") =>
        app.inject({
          method: "GET",
          url: `/admin/settings?lang=${lang}`,
          headers: { cookie: session.cookie },
        });
      const switchTo = (signing: string, csrf = session.csrf) =>
        app.inject({
          method: "POST",
          url: "/admin/settings/signing",
          headers: { "content-type": FORM, cookie: session.cookie },
          payload: new URLSearchParams({ _csrf: csrf, signing }).toString(),
        });
      const signForm = () => app.inject({ method: "GET", url: `/letters/${letter.slug}/sign` });

      const open = await settings();
      expect(open.statusCode).toBe(200);
      expect(open.body).toContain('<a href="/admin/settings">Settings</a>');
      expect(open.body).toContain("The sign forms are taking endorsements.");
      expect(open.body).toContain('name="signing" value="pause"');
      expect((await signForm()).body).toContain("<form");

      // A forged request (no token) changes nothing.
      const forged = await switchTo("pause", "");
      expect(forged.statusCode).toBe(403);
      expect(await getSetting(db, SIGNING_PAUSED_SETTING)).toBeUndefined();
      expect((await switchTo("sideways")).statusCode).toBe(400);

      const paused = await switchTo("pause");
      expect(paused.statusCode).toBe(303);
      expect(paused.headers.location).toBe("/admin/settings?changed=paused");
      expect(await getSetting(db, SIGNING_PAUSED_SETTING)).toBe("1");
      const after = await app.inject({
        method: "GET",
        url: paused.headers.location!,
        headers: { cookie: session.cookie },
      });
      expect(after.body).toContain("Sign-on is paused.</p>");
      expect(after.body).toContain("Sign-on is paused on every letter of this server.");
      expect(after.body).toContain('name="signing" value="resume"');
      const closed = await signForm();
      expect(closed.body).toContain("Sign-on is paused for the moment.");
      expect(closed.body).not.toContain('<form method="post" action="/letters/');

      // A form opened before the pause is refused when sent, with everything typed kept.
      await switchTo("resume");
      const form = await signForm();
      const formCookies = formSession(form);
      const ts = /name="ts" value="([^"]+)"/.exec(form.body)![1]!;
      await switchTo("pause");
      clock.now = new Date(clock.now.getTime() + 30_000);
      const refused = await app.inject({
        method: "POST",
        url: `/letters/${letter.slug}/sign`,
        headers: { "content-type": FORM, cookie: formCookies.cookie },
        payload: new URLSearchParams({
          _csrf: formCookies.csrf,
          ts,
          visibility: "listed",
          name: "Paused Period Collective",
          email: "paused@example.org",
          consent: "yes",
        }).toString(),
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.body).toContain("Sign-on is paused for the moment.");
      expect(refused.body).toContain('value="Paused Period Collective"');
      expect(await db.selectFrom("signatures").select("id").execute()).toEqual([]);

      // Pausing what is already paused records nothing more.
      expect((await switchTo("pause")).statusCode).toBe(303);
      const resumed = await switchTo("resume");
      expect(resumed.headers.location).toBe("/admin/settings?changed=resumed");
      expect(await getSetting(db, SIGNING_PAUSED_SETTING)).toBe("0");
      expect((await signForm()).body).toContain("<form");
      expect((await settings("my")).body).toContain("ထောက်ခံရန် ဖောင်များက ထောက်ခံချက်များကို လက်ခံနေသည်။");

      const audit = await db
        .selectFrom("audit_entries")
        .select(["action", "actor_user_id", "detail"])
        .where("action", "like", "settings.%")
        .orderBy("id")
        .execute();
      expect(audit.map((a) => a.action)).toEqual([
        "settings.signing_paused",
        "settings.signing_resumed",
        "settings.signing_paused",
        "settings.signing_resumed",
      ]);
      expect(audit.every((a) => a.actor_user_id === owner.id)).toBe(true);
      await app.close();
    });

    it("is the owners' alone: coordinators and reviewers neither see nor use it", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const before = await getSetting(store.current().db, SIGNING_PAUSED_SETTING);
      for (const role of ["coordinator", "reviewer"] as const) {
        const user = await insertUser(store.current(), { role });
        const session = await consoleSession(app, user);
        const consolePage = await app.inject({
          method: "GET",
          url: "/admin",
          headers: { cookie: session.cookie },
        });
        expect(consolePage.body).not.toContain('href="/admin/settings"');
        const page = await app.inject({
          method: "GET",
          url: "/admin/settings",
          headers: { cookie: session.cookie },
        });
        expect(page.statusCode).toBe(403);
        const post = await app.inject({
          method: "POST",
          url: "/admin/settings/signing",
          headers: { "content-type": FORM, cookie: session.cookie },
          payload: new URLSearchParams({ _csrf: session.csrf, signing: "pause" }).toString(),
        });
        expect(post.statusCode).toBe(403);
      }
      expect(await getSetting(store.current().db, SIGNING_PAUSED_SETTING)).toBe(before);
      const anonymous = await app.inject({ method: "GET", url: "/admin/settings" });
      expect(anonymous.statusCode).toBe(303);
      await app.close();
    });
  });
}
