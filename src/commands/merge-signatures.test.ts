import { beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { insertEndorsement } from "../../test/endorsement-factory.ts";
import { asReviewerIn, consoleActor, joined } from "../../test/letter-drafts.ts";
import { insertSignableLetter } from "../../test/sign-on-factory.ts";
import type { Actor } from "../policies/actor.ts";
import { countSignatures } from "../queries/count-signatures.ts";
import { listDuplicateSuggestions } from "../queries/list-duplicate-suggestions.ts";
import { mergeSignatures } from "./merge-signatures.ts";

const now = new Date("2026-03-01T12:00:00.000Z");

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`merging duplicates on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    let coordinator: Actor;
    beforeAll(async () => {
      coordinator = await consoleActor(store.current(), "coordinator");
    });

    it("suggests a Zawgyi/Unicode pair and merges the later into the earlier, audited, counts intact", async () => {
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      const key = letter.keyPair.publicKey;
      // The same organisation twice: typed in Unicode first, then in Zawgyi a day later.
      const later = await insertEndorsement(db, letter, key, {
        name: "မြန်မာ့အမျိုးသမီးအဖွဲ့",
        state: "approved",
        at: "2026-02-02T00:00:00.000Z",
      });
      const laterTwin = await insertEndorsement(db, letter, key, {
        name: "ျမန္မာ့အမ်ိဳးသမီးအဖြဲ႕",
        state: "approved",
        at: "2026-02-03T00:00:00.000Z",
      });
      await insertEndorsement(db, letter, key, { name: "Burma Campaign UK", state: "approved" });
      const suggestions = await listDuplicateSuggestions(db, letter.id);
      expect(suggestions.map((p) => [p.first.id, p.second.id, p.score])).toEqual([[later, laterTwin, 1]]);

      const before = (await countSignatures(db, [letter.id])).get(letter.id)!;
      // Given in either order, the earlier one is kept.
      const outcome = await mergeSignatures(
        { store: store.current() },
        {
          actor: joined(coordinator, letter.campaignId),
          letterId: letter.id,
          signatureIds: [laterTwin, later],
        },
        now,
      );
      expect(outcome).toEqual({ keptId: later, mergedId: laterTwin, changed: true });
      const merged = await db
        .selectFrom("signatures")
        .select(["state", "merged_into_id", "merged_at"])
        .where("id", "=", laterTwin)
        .executeTakeFirstOrThrow();
      expect(merged).toEqual({ state: "merged", merged_into_id: later, merged_at: now.toISOString() });
      const after = (await countSignatures(db, [letter.id])).get(letter.id)!;
      expect(after.total).toBe(before.total - 1);
      const audit = await db
        .selectFrom("audit_entries")
        .select(["action", "subject_id", "detail"])
        .where("action", "=", "signature.merge")
        .where("letter_id", "=", letter.id)
        .executeTakeFirstOrThrow();
      expect(audit.subject_id).toBe(laterTwin);
      expect(JSON.parse(audit.detail)).toMatchObject({ merged_into: later, from: "approved" });
      expect(await listDuplicateSuggestions(db, letter.id)).toEqual([]);

      // A double submit is harmless.
      expect(
        await mergeSignatures(
          { store: store.current() },
          {
            actor: joined(coordinator, letter.campaignId),
            letterId: letter.id,
            signatureIds: [later, laterTwin],
          },
          now,
        ),
      ).toMatchObject({ changed: false });
    });

    it("approves the kept endorsement when the one merged away had been approved", async () => {
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      const key = letter.keyPair.publicKey;
      const kept = await insertEndorsement(db, letter, key, {
        name: "Athan",
        at: "2026-02-01T00:00:00.000Z",
      });
      const gone = await insertEndorsement(db, letter, key, {
        name: "ATHAN.",
        state: "approved",
        at: "2026-02-05T00:00:00.000Z",
      });
      await mergeSignatures(
        { store: store.current() },
        { actor: joined(coordinator, letter.campaignId), letterId: letter.id, signatureIds: [kept, gone] },
        now,
      );
      const rows = await db
        .selectFrom("signatures")
        .select(["id", "state"])
        .where("id", "in", [kept, gone])
        .execute();
      expect(Object.fromEntries(rows.map((r) => [r.id, r.state]))).toEqual({
        [kept]: "approved",
        [gone]: "merged",
      });
    });

    it("refuses reviewers, pairs across letters, and withdrawn endorsements", async () => {
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      const other = await insertSignableLetter(db);
      const a = await insertEndorsement(db, letter, letter.keyPair.publicKey, { name: "A" });
      const b = await insertEndorsement(db, other, other.keyPair.publicKey, { name: "A" });
      const c = await insertEndorsement(db, letter, letter.keyPair.publicKey, {
        name: "A!",
        state: "withdrawn",
      });
      const deps = { store: store.current() };
      await expect(
        mergeSignatures(
          deps,
          {
            actor: asReviewerIn(coordinator, letter.campaignId),
            letterId: letter.id,
            signatureIds: [a, c],
          },
          now,
        ),
      ).rejects.toMatchObject({ code: "forbidden" });
      await expect(
        mergeSignatures(
          deps,
          { actor: joined(coordinator, letter.campaignId), letterId: letter.id, signatureIds: [a, b] },
          now,
        ),
      ).rejects.toMatchObject({ code: "not_found" });
      await expect(
        mergeSignatures(
          deps,
          { actor: joined(coordinator, letter.campaignId), letterId: letter.id, signatureIds: [a, c] },
          now,
        ),
      ).rejects.toMatchObject({ code: "invalid_state" });
    });
  });
}
