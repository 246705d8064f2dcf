import { describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { consoleActor, letterDraft } from "../../test/letter-drafts.ts";
import { insertCampaign } from "../../test/letter-factory.ts";
import { changeLetterState } from "./change-letter-state.ts";
import { createLetter } from "./create-letter.ts";

const t0 = new Date("2026-03-01T10:00:00.000Z");
const t1 = new Date("2026-03-05T08:30:00.000Z");
const t2 = new Date("2026-03-09T08:30:00.000Z");
// Any 32 bytes in base64 stand for a coalition key here: nothing is sealed in these tests.
const KEY = Buffer.alloc(32, 7).toString("base64");

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`changeLetterState on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    async function draftLetter(options: { key?: boolean; publicationDate?: string | null } = {}) {
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const actor = await consoleActor(store.current(), "coordinator", [campaign.id]);
      if (options.key !== false)
        await db.updateTable("campaigns").set({ public_key: KEY }).where("id", "=", campaign.id).execute();
      const draft = letterDraft(campaign.id, { publicationDate: options.publicationDate ?? null });
      const letter = await createLetter({ store: store.current() }, { actor, draft }, t0);
      return { db, actor, letter, campaign, deps: { store: store.current() } };
    }

    it("walks draft → collecting → published → closed → archived, stamping times, audited once each", async () => {
      const { db, actor, letter, deps } = await draftLetter();
      const go = (transition: "open" | "publish" | "close" | "archive", at: Date) =>
        changeLetterState(deps, { actor, letterId: letter.id, transition }, at);
      expect(await go("open", t1)).toEqual({ changed: true, state: "collecting" });
      expect(await go("publish", t1)).toEqual({ changed: true, state: "published" });
      let row = await db
        .selectFrom("letters")
        .selectAll()
        .where("id", "=", letter.id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ published_at: t1.toISOString(), publication_date: "2026-03-05" });
      // Idempotent: repeating a transition already made changes nothing.
      expect(await go("publish", t2)).toEqual({ changed: false, state: "published" });
      expect(await go("open", t2)).toEqual({ changed: false, state: "published" });
      expect(await go("close", t2)).toEqual({ changed: true, state: "closed" });
      expect(await go("archive", t2)).toEqual({ changed: true, state: "archived" });
      row = await db.selectFrom("letters").selectAll().where("id", "=", letter.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        published_at: t1.toISOString(),
        closed_at: t2.toISOString(),
        archived_at: t2.toISOString(),
      });
      const audit = await db
        .selectFrom("audit_entries")
        .select("action")
        .where("letter_id", "=", letter.id)
        .orderBy("id")
        .execute();
      expect(audit.map((a) => a.action)).toEqual([
        "letter.create",
        "letter.open",
        "letter.publish",
        "letter.close",
        "letter.archive",
      ]);
    });

    it("keeps a publication date the coordinators chose", async () => {
      const { db, actor, letter, deps } = await draftLetter({ publicationDate: "2026-02-20" });
      await changeLetterState(deps, { actor, letterId: letter.id, transition: "publish" }, t1);
      const row = await db
        .selectFrom("letters")
        .selectAll()
        .where("id", "=", letter.id)
        .executeTakeFirstOrThrow();
      expect(row.publication_date).toBe("2026-02-20");
    });

    it("refuses illegal transitions, opening without a campaign key, and reviewers", async () => {
      const { actor, letter, campaign, deps } = await draftLetter();
      await expect(
        changeLetterState(deps, { actor, letterId: letter.id, transition: "close" }, t1),
      ).rejects.toMatchObject({ code: "invalid_state" });
      await expect(
        changeLetterState(deps, { actor, letterId: letter.id, transition: "archive" }, t1),
      ).rejects.toMatchObject({ code: "invalid_state" });
      const reviewer = await consoleActor(store.current(), "reviewer", [campaign.id]);
      await expect(
        changeLetterState(deps, { actor: reviewer, letterId: letter.id, transition: "publish" }, t1),
      ).rejects.toMatchObject({ code: "forbidden" });

      const keyless = await draftLetter({ key: false });
      await expect(
        changeLetterState(
          keyless.deps,
          { actor: keyless.actor, letterId: keyless.letter.id, transition: "open" },
          t1,
        ),
      ).rejects.toMatchObject({ code: "invalid_state", fields: { state: "letters.needsKey" } });
      const row = await keyless.db
        .selectFrom("letters")
        .select("state")
        .where("id", "=", keyless.letter.id)
        .executeTakeFirstOrThrow();
      expect(row.state).toBe("draft");
    });
  });
}
