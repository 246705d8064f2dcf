import { describe, expect, it } from "vitest";
import { addMember, insertUser, type TestUser } from "../../../../test/accounts.ts";
import { buildTestApp } from "../../../../test/app.ts";
import { getAs as get, postFrom as post, signIn } from "../../../../test/console-session.ts";
import { DIALECTS } from "../../../../test/databases.ts";
import { insertSignableLetter } from "../../../../test/sign-on-factory.ts";
import { campaignSlugOf, useTeamConsole } from "../../../../test/team-console.ts";

/*
 * Console sessions over HTTP: listing one's own, signing one or all others out, and an owner signing a member out everywhere.
 */

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`console sessions over HTTP on ${dialect.label}`, () => {
    const { store } = useTeamConsole(dialect.name);
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
