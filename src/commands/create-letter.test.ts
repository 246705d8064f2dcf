import { describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { consoleActor, letterDraft } from "../../test/letter-drafts.ts";
import { insertCampaign } from "../../test/letter-factory.ts";
import { letterContentHash } from "../domain/letter-content-hash.ts";
import { getLetterForEditing } from "../queries/get-letter-for-editing.ts";
import { createLetter } from "./create-letter.ts";

const now = new Date("2026-03-01T10:00:00.000Z");

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`createLetter on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("creates a draft with version 1 holding every translation, last in its campaign", async () => {
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const actor = await consoleActor(store.current(), "coordinator", [campaign.id]);
      const first = await createLetter(
        { store: store.current() },
        { actor, draft: letterDraft(campaign.id) },
        now,
      );
      const draft = letterDraft(campaign.id);
      const second = await createLetter({ store: store.current() }, { actor, draft }, now);

      const letter = await getLetterForEditing(db, second.id);
      expect(letter).toMatchObject({
        state: "draft",
        slug: draft.slug,
        categories: ["Myanmar", "regional", "international"],
        requiredFields: ["country"],
        moderation: true,
        version: { number: 1, contentHash: letterContentHash(draft), signatures: 0 },
      });
      expect(letter!.translations).toEqual(draft.translations);
      const positions = await db
        .selectFrom("letters")
        .select(["id", "position"])
        .where("campaign_id", "=", campaign.id)
        .orderBy("position")
        .execute();
      expect(positions.map((p) => p.id)).toEqual([first.id, second.id]);
      const audit = await db
        .selectFrom("audit_entries")
        .select("action")
        .where("letter_id", "=", second.id)
        .execute();
      expect(audit).toEqual([{ action: "letter.create" }]);
    });

    it("refuses a taken slug, a missing default translation, an unknown campaign and a reviewer", async () => {
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const actor = await consoleActor(store.current(), "coordinator", [campaign.id]);
      const draft = letterDraft(campaign.id);
      await createLetter({ store: store.current() }, { actor, draft }, now);
      const deps = { store: store.current() };
      await expect(createLetter(deps, { actor, draft }, now)).rejects.toMatchObject({
        fields: { slug: "letters.slugTaken" },
      });
      await expect(
        createLetter(deps, { actor, draft: letterDraft(campaign.id, { defaultLanguage: "th" }) }, now),
      ).rejects.toMatchObject({ fields: { defaultLanguage: "letters.defaultLanguageMissing" } });
      // Only an owner, who may act in any campaign, learns that a campaign does not exist.
      await expect(createLetter(deps, { actor, draft: letterDraft(999_999) }, now)).rejects.toMatchObject({
        code: "forbidden",
      });
      const owner = await consoleActor(store.current(), "owner");
      await expect(
        createLetter(deps, { actor: owner, draft: letterDraft(999_999) }, now),
      ).rejects.toMatchObject({ fields: { campaign: "letters.campaignUnknown" } });
      const reviewer = await consoleActor(store.current(), "reviewer", [campaign.id]);
      await expect(
        createLetter(deps, { actor: reviewer, draft: letterDraft(campaign.id) }, now),
      ).rejects.toMatchObject({ code: "forbidden" });
    });
  });
}
