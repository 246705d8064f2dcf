import type { Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import { addMember, insertUser, type TestUser } from "../../../../test/accounts.ts";
import { buildTestApp, formSession } from "../../../../test/app.ts";
import { FORM, getAs, postFrom, signIn } from "../../../../test/console-session.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertSignableLetter } from "../../../../test/sign-on-factory.ts";
import { setCampaignTotp } from "../../../commands/set-campaign-totp.ts";
import { recordAudit } from "../../../store/audit.ts";
import type { Database } from "../../../store/schema.ts";

const body = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`campaign teams over HTTP on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    const get = getAs;

    const campaignSlugOf = async (db: Kysely<Database>, campaignId: number) =>
      (await db.selectFrom("campaigns").select("slug").where("id", "=", campaignId).executeTakeFirstOrThrow())
        .slug;

    const post = postFrom;

    /** The invitation link from the newest invite mail to the address, as the invitee reads it. */
    async function inviteLink(email: string): Promise<string> {
      const mail = await store
        .current()
        .db.selectFrom("outbox_messages")
        .select(["text_body", "subject"])
        .where("purpose", "=", "invite")
        .where("to_address", "=", email)
        .orderBy("id", "desc")
        .executeTakeFirstOrThrow();
      return new URL(/https?:\/\/\S+\/admin\/invite\/\S+/.exec(mail.text_body)![0]).pathname;
    }

    it("refuses a coordinator of campaign A everything of campaign B, and lists only A", async () => {
      const { db } = store.current();
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const a = await insertSignableLetter(db);
      const b = await insertSignableLetter(db);
      const coordinator = await insertUser(store.current(), {
        role: "coordinator",
        campaigns: [a.campaignId],
      });
      const cookie = await signIn(app, coordinator);
      const now = new Date("2026-02-01T00:00:00.000Z");
      await recordAudit(
        db,
        { actor: "cli", action: "letter.note", subjectType: "letter", letterId: a.id },
        now,
      );
      await recordAudit(
        db,
        { actor: "cli", action: "letter.note", subjectType: "letter", letterId: b.id },
        now,
      );
      const slugOf = async (id: number) =>
        (await db.selectFrom("campaigns").select("slug").where("id", "=", id).executeTakeFirstOrThrow()).slug;
      const [slugA, slugB] = [await slugOf(a.campaignId), await slugOf(b.campaignId)];

      for (const path of ["", "/review", "/duplicates", "/versions", "/preview", "/export/public.csv"]) {
        expect([path, (await get(app, `/admin/letters/${a.id}${path}`, cookie)).statusCode]).toEqual([
          path,
          200,
        ]);
        expect([path, (await get(app, `/admin/letters/${b.id}${path}`, cookie)).statusCode]).toEqual([
          path,
          403,
        ]);
      }
      expect((await get(app, `/admin/campaigns/${slugA}`, cookie)).statusCode).toBe(200);
      expect((await get(app, `/admin/campaigns/${slugB}`, cookie)).statusCode).toBe(403);
      expect((await get(app, `/admin/campaigns/${slugB}/team`, cookie)).statusCode).toBe(403);

      const queue = await get(app, `/admin/letters/${a.id}/review`, cookie);
      const refused = await post(app, `/admin/letters/${b.id}/review`, cookie, queue.body, {
        id: "1",
        action: "approve",
      });
      expect(refused.statusCode).toBe(403);
      const draft = await post(app, `/admin/campaigns/${slugB}/letters`, cookie, queue.body, {
        title: "Smuggled",
        slug: "smuggled",
        language: "en",
      });
      expect(draft.statusCode).toBe(403);

      const list = await get(app, "/admin/campaigns", cookie);
      expect(list.body).toContain(`/admin/campaigns/${slugA}"`);
      expect(list.body).not.toContain(`/admin/campaigns/${slugB}"`);
      const audit = await get(app, "/admin/audit?action=letter.note", cookie);
      expect(audit.body).toContain(a.slug);
      expect(audit.body).not.toContain(b.slug);
      const csv = await get(app, "/admin/audit.csv?action=letter.note", cookie);
      expect(csv.body).toContain(a.slug);
      expect(csv.body).not.toContain(b.slug);
      await app.close();
    });

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
        "/versions",
        "/review",
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

    it("sends members of a campaign requiring TOTP to set it up, or to give a code, before it opens", async () => {
      const { db } = store.current();
      const { app, clock } = await buildTestApp(store.current(), store.dataDir());
      const letter = await insertSignableLetter(db);
      const slug = await campaignSlugOf(db, letter.campaignId);
      const coordinator = await insertUser(store.current(), {
        role: "coordinator",
        campaigns: [letter.campaignId],
      });
      const cookie = await signIn(app, coordinator);
      const team = await get(app, `/admin/campaigns/${slug}/team`, cookie);
      expect(team.statusCode).toBe(200);
      // A coordinator without TOTP may not require it: they would shut themselves out.
      const selfLockout = await post(app, `/admin/campaigns/${slug}/totp`, cookie, team.body, {
        required: "1",
      });
      expect(selfLockout.statusCode).toBe(409);
      expect(selfLockout.body).toContain("Set up an authentication app for your own account first");
      // Another coordinator, who has TOTP, turns it on.
      await setCampaignTotp(
        { store: store.current() },
        { actor: "cli", campaignId: letter.campaignId, required: true },
        clock.now,
      );
      expect(
        (
          await db
            .selectFrom("campaigns")
            .select("require_totp")
            .where("id", "=", letter.campaignId)
            .executeTakeFirstOrThrow()
        ).require_totp,
      ).toBe(1);

      const sent = await get(app, `/admin/letters/${letter.id}/review`, cookie);
      expect(sent.statusCode).toBe(303);
      expect(sent.headers.location).toBe(
        `/admin/security?required=1&next=${encodeURIComponent(`/admin/letters/${letter.id}/review`)}`,
      );
      const security = await get(app, sent.headers.location as string, cookie);
      expect(security.body).toContain("Set up your authenticator app to open it.");
      const refused = await post(app, `/admin/letters/${letter.id}/review`, cookie, security.body, {
        id: "1",
        action: "approve",
      });
      expect(refused.statusCode).toBe(403);

      // TOTP turned on elsewhere (another session) does not count for this one until it gives a code.
      const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
      clock.now = new Date(clock.now.getTime() + 60_000);
      await db
        .updateTable("users")
        .set({ totp_secret: secret, totp_enabled_at: clock.now.toISOString(), recovery_codes: "[]" })
        .where("id", "=", coordinator.id)
        .execute();
      expect((await get(app, `/admin/letters/${letter.id}/review`, cookie)).statusCode).toBe(303);
      const stepUp = await get(app, sent.headers.location as string, cookie);
      expect(stepUp.body).toContain("Give a code to continue.");
      const { totpCode } = await import("../../../crypto/totp.ts");
      const given = await post(app, "/admin/security/verify", cookie, stepUp.body, {
        code: totpCode(secret, clock.now),
        next: `/admin/letters/${letter.id}/review`,
      });
      expect(given.statusCode).toBe(303);
      expect(given.headers.location).toBe(`/admin/letters/${letter.id}/review`);
      expect((await get(app, `/admin/letters/${letter.id}/review`, cookie)).statusCode).toBe(200);

      const off = await post(app, `/admin/campaigns/${slug}/totp`, cookie, team.body, { required: "0" });
      expect(off.statusCode).toBe(303);
      const audit = await db
        .selectFrom("audit_entries")
        .select("detail")
        .where("action", "=", "campaign.require_totp")
        .where("campaign_id", "=", letter.campaignId)
        .orderBy("id")
        .execute();
      expect(audit.map((a) => JSON.parse(a.detail).required)).toEqual([true, false]);
      await app.close();
    });

    it("lists one's sessions, signs one or all others out, and lets an owner sign a member out everywhere", async () => {
      const { db } = store.current();
      const { app, clock } = await buildTestApp(store.current(), store.dataDir());
      const letter = await insertSignableLetter(db);
      const slug = await campaignSlugOf(db, letter.campaignId);
      const user: TestUser = await insertUser(store.current(), {
        role: "reviewer",
        campaigns: [letter.campaignId],
      });
      const first = await signIn(app, user);
      clock.now = new Date(clock.now.getTime() + 10 * 60_000);
      const second = await signIn(app, user);
      const third = await signIn(app, user);

      const page = await get(app, "/admin/sessions", second);
      expect(page.statusCode).toBe(200);
      expect(page.body.match(/<li>/g)?.length).toBe(3);
      expect(page.body).toContain("This session");
      // Most recently used first: the oldest session is the last one listed.
      const ids = [...page.body.matchAll(/action="\/admin\/sessions\/([0-9a-f]{64})\/revoke"/g)].map(
        (m) => m[1]!,
      );
      expect(ids).toHaveLength(2);
      const firstId = ids.at(-1)!;
      const one = await post(app, `/admin/sessions/${firstId}/revoke`, second, page.body, {});
      expect(one.headers.location).toBe("/admin/sessions?ended=1");
      const remaining = async () =>
        [first, second, third].map(async (c) => (await get(app, "/admin/sessions", c)).statusCode);
      expect(await Promise.all(await remaining())).toEqual([303, 200, 200]);

      const others = await post(app, "/admin/sessions/revoke-others", second, page.body, {});
      expect(others.headers.location).toBe("/admin/sessions?ended=1");
      expect((await get(app, others.headers.location as string, second)).body).toContain(
        "1 session has been signed out.",
      );
      expect(await Promise.all(await remaining())).toEqual([303, 200, 303]);

      // An owner signs the member out everywhere from the campaign's team page.
      const owner = await insertUser(store.current(), { role: "owner" });
      const ownerCookie = await signIn(app, owner);
      const team = await get(app, `/admin/campaigns/${slug}/team`, ownerCookie);
      const all = await post(
        app,
        `/admin/campaigns/${slug}/team/members/${user.id}/sessions/revoke`,
        ownerCookie,
        team.body,
        {},
      );
      expect(all.statusCode).toBe(303);
      expect((await get(app, "/admin/sessions", second)).statusCode).toBe(303);
      // A coordinator may not.
      const coordinator = await insertUser(store.current(), { role: "coordinator" });
      await addMember(store.current(), {
        campaignId: letter.campaignId,
        userId: coordinator.id,
        role: "coordinator",
      });
      const coordinatorCookie = await signIn(app, coordinator);
      const coordinatorTeam = await get(app, `/admin/campaigns/${slug}/team`, coordinatorCookie);
      expect(coordinatorTeam.body).not.toContain("/sessions/revoke");
      const denied = await post(
        app,
        `/admin/campaigns/${slug}/team/members/${owner.id}/sessions/revoke`,
        coordinatorCookie,
        coordinatorTeam.body,
        {},
      );
      expect(denied.statusCode).toBe(403);

      const audit = await db
        .selectFrom("audit_entries")
        .select(["action", "detail"])
        .where("subject_id", "=", user.id)
        .where("action", "in", ["user.session_revoked", "user.sessions_revoked"])
        .orderBy("id")
        .execute();
      expect(audit.map((a) => [a.action, JSON.parse(a.detail).scope ?? null])).toEqual([
        ["user.session_revoked", null],
        ["user.sessions_revoked", "others"],
        ["user.sessions_revoked", "all"],
      ]);
      await app.close();
    });
  });
}
