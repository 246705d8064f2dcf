import { describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { consoleActor, letterDraft } from "../../test/letter-drafts.ts";
import { insertCampaign, insertSignatures } from "../../test/letter-factory.ts";
import { privateSignOnTokenHash } from "../crypto/tokens.ts";
import { getLetterForEditing } from "../queries/get-letter-for-editing.ts";
import { listLetterVersions } from "../queries/list-letter-versions.ts";
import type { LetterDraft } from "../store/letter-rows.ts";
import { createLetter } from "./create-letter.ts";
import { saveLetter } from "./save-letter.ts";

const t0 = new Date("2026-03-01T10:00:00.000Z");
const t1 = new Date("2026-03-02T10:00:00.000Z");
const t2 = new Date("2026-03-03T10:00:00.000Z");

const withBody = (draft: LetterDraft, body: string): LetterDraft => ({
  ...draft,
  translations: draft.translations.map((t) => (t.language === draft.defaultLanguage ? { ...t, body } : t)),
});

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`saveLetter on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    async function setUp() {
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const actor = await consoleActor(store.current(), "coordinator", [campaign.id]);
      const draft = letterDraft(campaign.id);
      const letter = await createLetter({ store: store.current() }, { actor, draft }, t0);
      return { db, actor, campaign, draft, letter, deps: { store: store.current() } };
    }

    const auditActions = async (letterId: number) =>
      (
        await store
          .current()
          .db.selectFrom("audit_entries")
          .select("action")
          .where("letter_id", "=", letterId)
          .orderBy("id")
          .execute()
      ).map((a) => a.action);

    it("corrects the text in place while nobody has signed", async () => {
      const { db, actor, draft, letter, deps } = await setUp();
      const result = await saveLetter(
        deps,
        { actor, letterId: letter.id, draft: withBody(draft, "Corrected.") },
        t1,
      );
      expect(result).toMatchObject({ outcome: "saved", versionNumber: 1, newVersion: false });
      const versions = await db
        .selectFrom("letter_versions")
        .selectAll()
        .where("letter_id", "=", letter.id)
        .execute();
      expect(versions).toHaveLength(1);
      const edited = await getLetterForEditing(db, letter.id);
      expect(edited!.translations[0]!.body).toBe("Corrected.");
      expect(edited!.translations.map((t) => t.language)).toEqual(["en", "my"]);
      expect(edited!.updatedAt).toBe(t1.toISOString());
    });

    it("an unchanged save writes nothing, not even an audit entry", async () => {
      const { db, actor, draft, letter, deps } = await setUp();
      const before = await getLetterForEditing(db, letter.id);
      const result = await saveLetter(deps, { actor, letterId: letter.id, draft }, t1);
      expect(result).toEqual({ outcome: "unchanged", versionNumber: 1 });
      expect(await getLetterForEditing(db, letter.id)).toEqual(before);
      expect(await auditActions(letter.id)).toEqual(["letter.create"]);
    });

    it("after the first signature, changed content makes a new version and the signed one stays intact", async () => {
      const { db, actor, draft, letter, deps } = await setUp();
      await insertSignatures(db, { id: letter.id, versionId: letter.versionId }, [{ state: "unconfirmed" }]);
      const signedBody = draft.translations[0]!.body;

      const result = await saveLetter(
        deps,
        { actor, letterId: letter.id, draft: withBody(draft, "Amended.") },
        t1,
      );
      expect(result).toMatchObject({ outcome: "saved", versionNumber: 2, newVersion: true });
      const edited = await getLetterForEditing(db, letter.id);
      expect(edited!.version).toMatchObject({ number: 2, createdAt: t1.toISOString(), signatures: 0 });
      expect(edited!.version.id).not.toBe(letter.versionId);

      const versions = await listLetterVersions(db, letter.id);
      expect(versions.map((v) => [v.number, v.signatures])).toEqual([
        [2, 0],
        [1, 1],
      ]);
      expect(versions[1]!.translations[0]!.body).toBe(signedBody);
      expect(versions[0]!.translations[0]!.body).toBe("Amended.");

      // Nobody has endorsed version 2 yet: a further correction changes it in place.
      const again = await saveLetter(
        deps,
        { actor, letterId: letter.id, draft: withBody(draft, "Amended twice.") },
        t2,
      );
      expect(again).toMatchObject({ versionNumber: 2, newVersion: false });
      expect(await listLetterVersions(db, letter.id)).toHaveLength(2);

      // Settings alone never make a version.
      await insertSignatures(db, { id: letter.id, versionId: edited!.version.id }, [{}]);
      const settings = await saveLetter(
        deps,
        { actor, letterId: letter.id, draft: { ...withBody(draft, "Amended twice."), moderation: false } },
        t2,
      );
      expect(settings).toMatchObject({ outcome: "saved", versionNumber: 2, newVersion: false });
      expect(await auditActions(letter.id)).toEqual([
        "letter.create",
        "letter.save",
        "letter.save",
        "letter.save",
      ]);
    });

    it("makes a private sign-on link, storing only its hash, and removes it", async () => {
      const { db, actor, draft, letter, deps } = await setUp();
      const made = await saveLetter(deps, { actor, letterId: letter.id, draft, privateLink: "new" }, t1);
      expect(made.outcome).toBe("saved");
      const token = made.outcome === "saved" ? made.privateLinkToken! : "";
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const row = await db
        .selectFrom("letters")
        .selectAll()
        .where("id", "=", letter.id)
        .executeTakeFirstOrThrow();
      expect(row.private_token_hash).toBe(privateSignOnTokenHash(token));
      const everything = JSON.stringify([row, await db.selectFrom("audit_entries").selectAll().execute()]);
      expect(everything).not.toContain(token);

      await saveLetter(deps, { actor, letterId: letter.id, draft, privateLink: "remove" }, t2);
      expect((await getLetterForEditing(db, letter.id))!.hasPrivateLink).toBe(false);
    });

    it("refuses a stale editor, a slug change after sign-on opened, and a reviewer", async () => {
      const { db, actor, campaign, draft, letter, deps } = await setUp();
      await expect(
        saveLetter(
          deps,
          {
            actor,
            letterId: letter.id,
            draft: withBody(draft, "x"),
            expectedUpdatedAt: "2020-01-01T00:00:00.000Z",
          },
          t1,
        ),
      ).rejects.toMatchObject({ code: "conflict" });
      await db.updateTable("letters").set({ state: "collecting" }).where("id", "=", letter.id).execute();
      await expect(
        saveLetter(
          deps,
          { actor, letterId: letter.id, draft: { ...draft, slug: `${draft.slug}-renamed` } },
          t1,
        ),
      ).rejects.toMatchObject({ code: "validation", fields: { slug: "letters.slugLocked" } });
      const reviewer = await consoleActor(store.current(), "reviewer", [campaign.id]);
      await expect(
        saveLetter(deps, { actor: reviewer, letterId: letter.id, draft: withBody(draft, "y") }, t1),
      ).rejects.toMatchObject({ code: "forbidden" });
      expect((await getLetterForEditing(db, letter.id))!.translations[0]!.body).toBe(
        draft.translations[0]!.body,
      );
    });
  });
}
