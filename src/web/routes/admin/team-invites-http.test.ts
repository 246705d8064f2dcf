import { describe, expect, it } from "vitest";
import { addMember, insertUser, type TestUser } from "../../../../test/accounts.ts";
import { buildTestApp, formSession } from "../../../../test/app.ts";
import { FORM, getAs as get, postFrom as post, signIn } from "../../../../test/console-session.ts";
import { DIALECTS } from "../../../../test/databases.ts";
import { insertSignableLetter } from "../../../../test/sign-on-factory.ts";
import { campaignSlugOf, useTeamConsole } from "../../../../test/team-console.ts";

/*
 * Joining a campaign team over HTTP: invitations by email for new and existing accounts, the right to start campaigns given only by an owner, and revoked links and other accounts refused.
 */

const body = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`campaign invitations over HTTP on ${dialect.label}`, () => {
    const { store, inviteLink } = useTeamConsole(dialect.name);
    it("invites someone new by email: they set a name and password, and see only that campaign", async () => {
      const { db } = store.current();
      const { app, clock } = await buildTestApp(store.current(), store.dataDir());
      const letter = await insertSignableLetter(db);
      const other = await insertSignableLetter(db);
      const slug = await campaignSlugOf(db, letter.campaignId);
      const owner = await insertUser(store.current(), { role: "owner" });
      const cookie = await signIn(app, owner);
      const team = await get(app, `/admin/campaigns/${slug}/team`, cookie);
      expect(team.statusCode).toBe(200);

      const bad = await post(app, `/admin/campaigns/${slug}/team/invite`, cookie, team.body, {
        email: "not an address",
        role: "reviewer",
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('value="not an address"');
      expect(bad.body).toContain("Enter an email address like name@example.org.");

      const email = `new-reviewer-${dialect.name}@example.org`;
      const sent = await post(app, `/admin/campaigns/${slug}/team/invite`, cookie, team.body, {
        email: email.toUpperCase(),
        role: "reviewer",
      });
      expect(sent.statusCode).toBe(303);
      const listed = await get(app, `/admin/campaigns/${slug}/team`, cookie);
      expect(listed.body).toContain(email);
      const link = await inviteLink(email);

      const page = await app.inject({ method: "GET", url: link });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain("as reviewer");
      const session = formSession(page);
      const accept = (fields: Record<string, string>) =>
        app.inject({
          method: "POST",
          url: link,
          headers: { "content-type": FORM, cookie: session.cookie },
          payload: body({ _csrf: session.csrf, ...fields }),
        });
      const short = await accept({ name: "Daw Hla", password: "short", passwordRepeat: "short" });
      expect(short.statusCode).toBe(400);
      expect(short.body).toContain('value="Daw Hla"');
      const joined = await accept({
        name: "Daw Hla",
        password: "a long enough passphrase",
        passwordRepeat: "a long enough passphrase",
      });
      expect(joined.statusCode).toBe(303);
      expect(joined.headers.location).toBe(`/admin/campaigns/${slug}`);
      const newCookie = `${session.cookie}; us_session=${joined.cookies.find((c) => c.name === "us_session")!.value}`;
      expect((await get(app, `/admin/campaigns/${slug}`, newCookie)).statusCode).toBe(200);
      expect((await get(app, `/admin/letters/${letter.id}/review`, newCookie)).statusCode).toBe(200);
      // A reviewer in the campaign: no editor, and nothing of the other campaign; the letter's tabs offer
      // only the pages a reviewer may open.
      expect((await get(app, `/admin/letters/${letter.id}`, newCookie)).statusCode).toBe(403);
      const tabs = /<nav class="tabs"[^>]*>(.*?)<\/nav>/s.exec(
        (await get(app, `/admin/letters/${letter.id}/versions`, newCookie)).body,
      )![1]!;
      expect([...tabs.matchAll(/href="\/admin\/letters\/\d+([^"]*)"/g)].map((m) => m[1])).toEqual([
        "/preview",
        "/share",
        "/versions",
        "/review",
        "/listing",
        "/log-audit",
      ]);
      expect((await get(app, `/admin/letters/${other.id}/review`, newCookie)).statusCode).toBe(403);

      const user = await db
        .selectFrom("users")
        .select(["id", "role"])
        .where("email", "=", email)
        .executeTakeFirstOrThrow();
      expect(user.role).toBe("reviewer");
      expect(
        await db.selectFrom("campaign_members").select("role").where("user_id", "=", user.id).execute(),
      ).toEqual([{ role: "reviewer" }]);
      const actions = (
        await db
          .selectFrom("audit_entries")
          .select("action")
          .where("campaign_id", "=", letter.campaignId)
          .execute()
      ).map((r) => r.action);
      expect(actions).toEqual(expect.arrayContaining(["team.invite", "team.invite_accepted"]));

      // Single use: the same link again is dead, and so is any link after seven days.
      expect((await app.inject({ method: "GET", url: link })).statusCode).toBe(410);
      await post(app, `/admin/campaigns/${slug}/team/invite`, cookie, team.body, {
        email: `late-${dialect.name}@example.org`,
        role: "coordinator",
      });
      const late = await inviteLink(`late-${dialect.name}@example.org`);
      expect((await app.inject({ method: "GET", url: late })).statusCode).toBe(200);
      clock.now = new Date(clock.now.getTime() + 7 * 24 * 60 * 60 * 1000 + 1000);
      expect((await app.inject({ method: "GET", url: late })).statusCode).toBe(410);
      await app.close();
    });

    it("gives the right to start campaigns only through an owner's invitation", async () => {
      const { db } = store.current();
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const letter = await insertSignableLetter(db);
      const slug = await campaignSlugOf(db, letter.campaignId);
      const owner = await insertUser(store.current(), { role: "owner" });
      // A campaign coordinator whose own account may not start campaigns.
      const coordinator = await insertUser(store.current(), { role: "reviewer" });
      await addMember(store.current(), {
        campaignId: letter.campaignId,
        userId: coordinator.id,
        role: "coordinator",
      });
      const inviteAndAccept = async (inviter: TestUser, email: string) => {
        const cookie = await signIn(app, inviter);
        const team = await get(app, `/admin/campaigns/${slug}/team`, cookie);
        const sent = await post(app, `/admin/campaigns/${slug}/team/invite`, cookie, team.body, {
          email,
          role: "coordinator",
        });
        expect(sent.statusCode).toBe(303);
        const link = await inviteLink(email);
        const session = formSession(await app.inject({ method: "GET", url: link }));
        const joined = await app.inject({
          method: "POST",
          url: link,
          headers: { "content-type": FORM, cookie: session.cookie },
          payload: body({
            _csrf: session.csrf,
            name: "Ko Aung",
            password: "a long enough passphrase",
            passwordRepeat: "a long enough passphrase",
          }),
        });
        expect(joined.statusCode).toBe(303);
        const user = await db
          .selectFrom("users")
          .select(["id", "role"])
          .where("email", "=", email)
          .executeTakeFirstOrThrow();
        const membership = await db
          .selectFrom("campaign_members")
          .select("role")
          .where("user_id", "=", user.id)
          .executeTakeFirstOrThrow();
        return { account: user.role, campaign: membership.role };
      };
      expect(await inviteAndAccept(coordinator, `by-coordinator-${dialect.name}@example.org`)).toEqual({
        account: "reviewer",
        campaign: "coordinator",
      });
      expect(await inviteAndAccept(owner, `by-owner-${dialect.name}@example.org`)).toEqual({
        account: "coordinator",
        campaign: "coordinator",
      });
      await app.close();
    });

    it("lets an existing account join while signed in, and refuses revoked links and other accounts", async () => {
      const { db } = store.current();
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const letter = await insertSignableLetter(db);
      const slug = await campaignSlugOf(db, letter.campaignId);
      const coordinator = await insertUser(store.current(), {
        role: "coordinator",
        campaigns: [letter.campaignId],
      });
      const cookie = await signIn(app, coordinator);
      const someone = await insertUser(store.current(), { role: "reviewer" });
      const stranger = await insertUser(store.current(), { role: "reviewer" });
      const team = await get(app, `/admin/campaigns/${slug}/team`, cookie);
      await post(app, `/admin/campaigns/${slug}/team/invite`, cookie, team.body, {
        email: someone.email,
        role: "coordinator",
      });
      const link = await inviteLink(someone.email);

      const anonymous = await app.inject({ method: "GET", url: link });
      expect(anonymous.body).toContain(`/admin/login?next=${encodeURIComponent(link)}`);
      const strangerCookie = await signIn(app, stranger);
      const wrong = await get(app, link, strangerCookie);
      expect(wrong.body).toContain(`This invitation is for ${someone.email}`);
      const strangerHome = await get(app, "/admin", strangerCookie);
      const wrongPost = await post(app, link, strangerCookie, strangerHome.body, {});
      expect(wrongPost.statusCode).toBe(409);

      const someoneCookie = await signIn(app, someone);
      const offer = await get(app, link, someoneCookie);
      const joined = await post(app, link, someoneCookie, offer.body, {});
      expect(joined.headers.location).toBe(`/admin/campaigns/${slug}`);
      // Invited as coordinator: the editor opens for them in this campaign, though the account is a reviewer.
      expect((await get(app, `/admin/letters/${letter.id}`, someoneCookie)).statusCode).toBe(200);

      // Change the role, then remove them: each takes effect on their next request, audited.
      const teamNow = await get(app, `/admin/campaigns/${slug}/team`, cookie);
      await post(app, `/admin/campaigns/${slug}/team/members/${someone.id}/role`, cookie, teamNow.body, {
        role: "reviewer",
      });
      expect((await get(app, `/admin/letters/${letter.id}`, someoneCookie)).statusCode).toBe(403);
      expect((await get(app, `/admin/letters/${letter.id}/review`, someoneCookie)).statusCode).toBe(200);
      await post(app, `/admin/campaigns/${slug}/team/members/${someone.id}/remove`, cookie, teamNow.body, {});
      expect((await get(app, `/admin/letters/${letter.id}/review`, someoneCookie)).statusCode).toBe(403);
      // One's own membership is not changed from the team page.
      const self = await post(
        app,
        `/admin/campaigns/${slug}/team/members/${coordinator.id}/remove`,
        cookie,
        teamNow.body,
        {},
      );
      expect(self.statusCode).toBe(409);

      // A revoked invitation's link stops working at once.
      await post(app, `/admin/campaigns/${slug}/team/invite`, cookie, teamNow.body, {
        email: stranger.email,
        role: "reviewer",
      });
      const strangerLink = await inviteLink(stranger.email);
      const invite = await db
        .selectFrom("one_time_tokens")
        .select("id")
        .where("purpose", "=", "invite")
        .where("email", "=", stranger.email)
        .executeTakeFirstOrThrow();
      await post(app, `/admin/campaigns/${slug}/team/invites/${invite.id}/revoke`, cookie, teamNow.body, {});
      expect((await get(app, strangerLink, strangerCookie)).statusCode).toBe(410);

      const actions = (
        await db
          .selectFrom("audit_entries")
          .select("action")
          .where("campaign_id", "=", letter.campaignId)
          .orderBy("id")
          .execute()
      ).map((r) => r.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          "team.invite",
          "team.invite_accepted",
          "team.role_changed",
          "team.member_removed",
          "team.invite_revoked",
        ]),
      );
      await app.close();
    });
  });
}
