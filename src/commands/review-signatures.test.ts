import { beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { insertEndorsement } from "../../test/endorsement-factory.ts";
import { consoleActor, joined } from "../../test/letter-drafts.ts";
import { insertSignableLetter } from "../../test/sign-on-factory.ts";
import { openSealed } from "../crypto/seal.ts";
import type { Actor } from "../policies/actor.ts";
import { listReviewQueue } from "../queries/list-review-queue.ts";
import { reviewSignatures } from "./review-signatures.ts";

const now = new Date("2026-03-01T12:00:00.000Z");

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`bulk review on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    let reviewer: Actor;
    beforeAll(async () => {
      reviewer = await consoleActor(store.current(), "reviewer");
    });

    /** The reviewer, joined to the letter's campaign, decides on the ticked endorsements in one go. */
    const review = (
      letter: { id: number; campaignId: number },
      signatureIds: number[],
      decision: "approve" | "reject",
      reason?: string,
    ) =>
      reviewSignatures(
        { store: store.current() },
        { actor: joined(reviewer, letter.campaignId), letterId: letter.id, signatureIds, decision, reason },
        now,
      );

    it("approves the ticked endorsements in one go, audited one by one, and leaves the rest queued", async () => {
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      const key = letter.keyPair.publicKey;
      const a = await insertEndorsement(db, letter, key, { name: "Karen Women's Organisation" });
      const b = await insertEndorsement(db, letter, key, { name: "Hidden Group", visibility: "undisclosed" });
      const c = await insertEndorsement(db, letter, key, { name: "Later Org" });

      const outcome = await review(letter, [a, b], "approve");
      expect(outcome).toEqual({ changed: 2, unchanged: 0, skipped: 0 });
      const states = await db
        .selectFrom("signatures")
        .select(["id", "state"])
        .where("letter_id", "=", letter.id)
        .execute();
      expect(Object.fromEntries(states.map((s) => [s.id, s.state]))).toEqual({
        [a]: "approved",
        [b]: "approved",
        [c]: "confirmed",
      });
      const audit = await db
        .selectFrom("audit_entries")
        .select(["subject_id", "action", "detail"])
        .where("letter_id", "=", letter.id)
        .where("action", "=", "signature.approve")
        .execute();
      expect(audit.map((e) => e.subject_id).sort()).toEqual([a, b].sort());
      expect(JSON.stringify(audit)).not.toContain("Hidden Group");

      // A double submit is harmless: already approved, nothing changes.
      expect(await review(letter, [a], "approve")).toEqual({ changed: 0, unchanged: 1, skipped: 0 });
    });

    it("rejects with a reason, sealing it on undisclosed endorsements, and skips one withdrawn meanwhile", async () => {
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      const key = letter.keyPair.publicKey;
      const listed = await insertEndorsement(db, letter, key, { name: "Spam Org" });
      const hidden = await insertEndorsement(db, letter, key, {
        name: "Fake Front",
        visibility: "undisclosed",
      });
      const gone = await insertEndorsement(db, letter, key, { name: "Changed Mind", state: "withdrawn" });

      const outcome = await review(
        letter,
        [listed, hidden, gone],
        "reject",
        "not a real organisation: Fake Front",
      );
      expect(outcome).toEqual({ changed: 2, unchanged: 0, skipped: 1 });
      const rows = await db
        .selectFrom("signatures")
        .select(["id", "state", "reject_reason"])
        .where("id", "in", [listed, hidden, gone])
        .execute();
      const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
      expect(byId[listed]).toMatchObject({
        state: "rejected",
        reject_reason: "not a real organisation: Fake Front",
      });
      expect(byId[gone]).toMatchObject({ state: "withdrawn", reject_reason: null });
      expect(byId[hidden]!.state).toBe("rejected");
      expect(byId[hidden]!.reject_reason).not.toContain("Fake Front");
      expect(await openSealed(byId[hidden]!.reject_reason!, letter.keyPair)).toBe(
        "not a real organisation: Fake Front",
      );
    });

    it("refuses the whole batch when an id belongs to another letter, changing nothing", async () => {
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      const other = await insertSignableLetter(db);
      const mine = await insertEndorsement(db, letter, letter.keyPair.publicKey, { name: "Mine" });
      const theirs = await insertEndorsement(db, other, other.keyPair.publicKey, { name: "Theirs" });
      await expect(review(letter, [mine, theirs], "approve")).rejects.toMatchObject({ code: "not_found" });
      const states = await db
        .selectFrom("signatures")
        .select("state")
        .where("id", "in", [mine, theirs])
        .execute();
      expect(states.map((s) => s.state)).toEqual(["confirmed", "confirmed"]);
    });

    it("lists the queue oldest first with filters, showing undisclosed rows only as sealed boxes", async () => {
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      const key = letter.keyPair.publicKey;
      await insertEndorsement(db, letter, key, {
        name: "B Org",
        category: "Myanmar",
        country: "MM",
        at: "2026-02-02T00:00:00.000Z",
      });
      await insertEndorsement(db, letter, key, {
        name: "A Org",
        category: "regional",
        country: "TH",
        at: "2026-02-01T00:00:00.000Z",
      });
      await insertEndorsement(db, letter, key, { name: "Secret", visibility: "undisclosed", country: "MM" });
      await insertEndorsement(db, letter, key, { name: "Done", state: "approved" });

      const all = (await listReviewQueue(db, letter.id, {}))!;
      expect(all.total).toBe(3);
      expect(all.endorsements.map((e) => e.displayName)).toEqual(["A Org", null, "B Org"]);
      expect(all.countries).toEqual(["MM", "TH"]);
      const sealed = all.endorsements.find((e) => e.visibility === "undisclosed")!;
      expect(sealed).toMatchObject({ displayName: null, country: null, category: null });
      expect(JSON.parse(await openSealed(sealed.sealedIdentity!, letter.keyPair)).name).toBe("Secret");

      const mm = (await listReviewQueue(db, letter.id, { country: "MM" }))!;
      expect(mm.endorsements.map((e) => e.displayName)).toEqual(["B Org"]);
      const undisclosed = (await listReviewQueue(db, letter.id, { visibility: "undisclosed" }))!;
      expect(undisclosed.endorsements).toHaveLength(1);
    });
  });
}
