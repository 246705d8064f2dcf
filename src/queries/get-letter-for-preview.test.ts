import { describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { consoleActor, letterDraft } from "../../test/letter-drafts.ts";
import { insertCampaign, insertLetter, insertSignatures } from "../../test/letter-factory.ts";
import { createLetter } from "../commands/create-letter.ts";
import { saveLetter } from "../commands/save-letter.ts";
import { getLetterForPreview, getPublicLetter } from "./get-public-letter.ts";

const now = new Date("2026-03-01T10:00:00.000Z");

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`getLetterForPreview on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("is exactly the public read model for a published letter", async () => {
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const letter = await insertLetter(db, { campaignId: campaign.id });
      await insertSignatures(db, letter, [{ displayName: "Listed Group" }, { visibility: "undisclosed" }]);
      const shown = await getPublicLetter(db, { slug: letter.slug, language: "en" });
      expect(shown!.version).toMatchObject({ id: letter.versionId, number: 1 });
      expect(await getLetterForPreview(db, { letterId: letter.id, language: "en" })).toEqual(shown);
    });

    it("shows a draft the public cannot see, and any earlier version by id", async () => {
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const actor = await consoleActor(store.current(), "coordinator", [campaign.id]);
      const draft = letterDraft(campaign.id);
      const created = await createLetter({ store: store.current() }, { actor, draft }, now);
      expect(await getPublicLetter(db, { slug: draft.slug, language: "en" })).toBeUndefined();
      await insertSignatures(db, { id: created.id, versionId: created.versionId }, [
        { state: "unconfirmed" },
      ]);
      const amended = {
        ...draft,
        translations: draft.translations.map((t) =>
          t.language === "en" ? { ...t, title: "Amended title" } : t,
        ),
      };
      await saveLetter({ store: store.current() }, { actor, letterId: created.id, draft: amended }, now);

      const current = await getLetterForPreview(db, { letterId: created.id, language: "en" });
      expect(current).toMatchObject({ state: "draft", title: "Amended title", version: { number: 2 } });
      const first = await getLetterForPreview(db, {
        letterId: created.id,
        versionId: created.versionId,
        language: "my",
      });
      expect(first).toMatchObject({
        language: "my",
        title: draft.translations[1]!.title,
        version: { number: 1 },
      });
      expect(
        await getLetterForPreview(db, { letterId: created.id, versionId: 999_999, language: "en" }),
      ).toBeUndefined();
    });
  });
}
