import { describe, expect, it } from "vitest";
import { insertUser } from "../../../../test/accounts.ts";
import { buildTestApp } from "../../../../test/app.ts";
import { getAs as get, postFrom as post, signIn } from "../../../../test/console-session.ts";
import { DIALECTS } from "../../../../test/databases.ts";
import { insertSignableLetter } from "../../../../test/sign-on-factory.ts";
import { campaignSlugOf, useTeamConsole } from "../../../../test/team-console.ts";
import { setCampaignTotp } from "../../../commands/set-campaign-totp.ts";
import { recordAudit } from "../../../store/audit.ts";

/*
 * Who may open a campaign over HTTP: a coordinator of one campaign is refused everything of another, and members of a campaign requiring TOTP set it up or give a code before it opens.
 */

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`campaign access over HTTP on ${dialect.label}`, () => {
    const { store } = useTeamConsole(dialect.name);
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
  });
}
