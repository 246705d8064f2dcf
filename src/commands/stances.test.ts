import { describe, expect, it } from "vitest";
import { DIALECTS } from "../../test/databases.ts";
import { asReviewerIn } from "../../test/letter-drafts.ts";
import { insertLetter } from "../../test/letter-factory.ts";
import { expectError, now, useRecipientLetter } from "../../test/recipient-letters.ts";
import { getLetterTracker } from "../queries/get-letter-tracker.ts";
import { onLetterChanged } from "../store/letter-changes.ts";
import { removeStance } from "./remove-stance.ts";
import { saveRecipient } from "./save-recipient.ts";
import { saveStance } from "./save-stance.ts";
import { tagRecipientStance } from "./tag-recipient-stance.ts";

/*
 * Renaming and removing stances as commands, on both databases: every letter untagged, trackers changed,
 * audited, other coordinators refused.
 */

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`stances on ${dialect.label}`, () => {
    const { deps, setUp, anotherCampaignsStance } = useRecipientLetter(dialect.name);

    it("renames and removes stances: untagged on every letter, trackers changed, audited, others refused", async () => {
      const { db, campaign, letter, actor, user } = await setUp();
      const second = await insertLetter(db, { campaignId: campaign.id });
      const untouched = await insertLetter(db, { campaignId: campaign.id });
      const a = await saveRecipient(deps(), { actor, letterId: letter.id, fields: { name: "A" } }, now);
      const b = await saveRecipient(deps(), { actor, letterId: letter.id, fields: { name: "B" } }, now);
      const c = await saveRecipient(deps(), { actor, letterId: second.id, fields: { name: "C" } }, now);
      await saveRecipient(deps(), { actor, letterId: untouched.id, fields: { name: "D" } }, now);
      const declined = await saveStance(
        deps(),
        { actor, campaignId: campaign.id, form: { label: "declined", translations: {} } },
        now,
      );
      const kept = await saveStance(
        deps(),
        { actor, campaignId: campaign.id, form: { label: "acknowledged", translations: {} } },
        now,
      );
      for (const [letterId, recipientId] of [
        [letter.id, a.id],
        [letter.id, b.id],
        [second.id, c.id],
      ] as const)
        await tagRecipientStance(
          deps(),
          { actor, letterId, recipientId, stanceIds: [declined.id, kept.id] },
          now,
        );

      // Renamed (label and both translations): every tracker of the campaign shows the new name.
      const changed: number[] = [];
      const stopListening = onLetterChanged((id) => changed.push(id));
      await saveStance(
        deps(),
        {
          actor,
          campaignId: campaign.id,
          stanceId: declined.id,
          form: { label: "declined to attend", translations: { en: "declined to attend", my: "ငြင်းဆိုခဲ့သည်" } },
        },
        now,
      );
      expect(changed.sort()).toEqual([letter.id, second.id, untouched.id].sort());
      expect((await getLetterTracker(db, second.id)).recipients[0]!.stances[0]).toEqual({
        label: "declined to attend",
        translations: { en: "declined to attend", my: "ငြင်းဆိုခဲ့သည်" },
      });
      await expectError(
        saveStance(
          deps(),
          { actor, campaignId: campaign.id, stanceId: declined.id, form: { label: " ", translations: {} } },
          now,
        ),
        "validation",
        { label: "field.required" },
      );

      // Another campaign's stance, and a reviewer, are refused; nothing changes.
      const foreign = await anotherCampaignsStance();
      await expectError(
        removeStance(deps(), { actor, campaignId: campaign.id, stanceId: foreign.id }, now),
        "not_found",
      );
      await expectError(
        saveStance(
          deps(),
          { actor, campaignId: campaign.id, stanceId: foreign.id, form: { label: "x", translations: {} } },
          now,
        ),
        "not_found",
      );
      const reviewer = asReviewerIn(actor, campaign.id);
      await expectError(
        removeStance(deps(), { actor: reviewer, campaignId: campaign.id, stanceId: declined.id }, now),
        "forbidden",
      );
      await expectError(
        saveStance(
          deps(),
          {
            actor: reviewer,
            campaignId: campaign.id,
            stanceId: declined.id,
            form: { label: "x", translations: {} },
          },
          now,
        ),
        "forbidden",
      );

      changed.length = 0;
      expect(
        await removeStance(deps(), { actor, campaignId: campaign.id, stanceId: declined.id }, now),
      ).toEqual({
        untagged: 3,
        letterIds: [letter.id, second.id].sort((x, y) => x - y),
      });
      stopListening();
      // Only the letters whose trackers showed it changed.
      expect(changed.sort()).toEqual([letter.id, second.id].sort());
      expect(await db.selectFrom("stances").select("id").where("id", "=", declined.id).execute()).toEqual([]);
      expect(
        await db
          .selectFrom("recipient_stances")
          .select(["recipient_id", "stance_id"])
          .orderBy("recipient_id")
          .where("recipient_id", "in", [a.id, b.id, c.id])
          .execute(),
      ).toEqual([a.id, b.id, c.id].map((id) => ({ recipient_id: id, stance_id: kept.id })));
      for (const id of [letter.id, second.id])
        for (const r of (await getLetterTracker(db, id)).recipients)
          expect(r.stances).toEqual([{ label: "acknowledged", translations: {} }]);
      // The foreign stance is still there.
      expect(await db.selectFrom("stances").select("id").where("id", "=", foreign.id).execute()).toHaveLength(
        1,
      );
      await expectError(
        removeStance(deps(), { actor, campaignId: campaign.id, stanceId: declined.id }, now),
        "not_found",
      );
      const audit = await db
        .selectFrom("audit_entries")
        .select(["action", "subject_id", "campaign_id", "detail", "actor_user_id"])
        .where("action", "in", ["stance.update", "stance.remove"])
        .where("campaign_id", "=", campaign.id)
        .orderBy("id")
        .execute();
      expect(audit.map((e) => ({ ...e, detail: JSON.parse(e.detail) }))).toEqual([
        {
          action: "stance.update",
          subject_id: declined.id,
          campaign_id: campaign.id,
          detail: { label: "declined to attend" },
          actor_user_id: user.id,
        },
        {
          action: "stance.remove",
          subject_id: declined.id,
          campaign_id: campaign.id,
          detail: { label: "declined to attend", recipients: 3, letters: 2 },
          actor_user_id: user.id,
        },
      ]);
    });
  });
}
