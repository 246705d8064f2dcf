import { describe, expect, it } from "vitest";
import { commandDeps } from "../../test/accounts.ts";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { insertSignatures } from "../../test/letter-factory.ts";
import { insertSignableLetter } from "../../test/sign-on-factory.ts";
import { thresholdSigner } from "../../test/threshold-signer.ts";
import { countSignatures } from "../queries/count-signatures.ts";
import { approveSignature } from "./approve-signature.ts";
import { changeListingCondition } from "./change-listing-condition.ts";
import { listThresholdEndorsements } from "./list-threshold-endorsements.ts";
import { releaseCounts } from "./release-counts.ts";
import { withdrawSignature } from "./withdraw-signature.ts";

/*
 * The public waiting figure ({{waiting}}: endorsements that will be listed once their condition is met)
 * moves like the counts: at the letter's release for what a signer does, at once for what a coordinator does.
 * Letters here release daily, at UTC midnight.
 */

const at = (iso: string) => new Date(iso);
const day1 = at("2027-05-10T09:17:00.000Z");
const midnight = (day: number) => at(`2027-05-${String(day).padStart(2, "0")}T00:00:00.000Z`);

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`the waiting figure on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    const deps = () => commandDeps(store.current(), store.dataDir());
    const signWithCondition = thresholdSigner(() => store.current(), deps);
    const counts = async (letterId: number) =>
      (await countSignatures(store.current().db, [letterId])).get(letterId)!;
    const release = (now: Date) => releaseCounts(deps(), {}, now);

    it("moves only at releases when a threshold signer changes their condition or withdraws", async () => {
      const letter = await insertSignableLetter(store.current().db, { moderation: true });
      await insertSignatures(store.current().db, letter, [{}]);
      const signed = await signWithCondition(letter.slug, "Sagaing Women Network", { threshold: "30" }, day1);
      const change = (choice: "threshold" | "undisclosed", now: Date, threshold?: string) =>
        changeListingCondition(
          deps(),
          { slug: letter.slug, manageToken: signed.manageToken, choice, threshold },
          now,
        );

      // Confirmed, waiting for review: it counts nowhere yet.
      expect(await counts(letter.id)).toMatchObject({ total: 1, undisclosed: 0, waiting: 0 });
      // Approved by a coordinator: counted and waiting at once, a coordinator's moment being no signer's.
      await approveSignature(deps(), { actor: "cli", signatureId: signed.id }, day1);
      expect(await counts(letter.id)).toMatchObject({ total: 2, undisclosed: 1, waiting: 1 });

      // A new number keeps it waiting: nothing is scheduled, nothing moves.
      expect((await change("threshold", at("2027-05-11T10:03:00.000Z"), "40")).outcome).toBe("changed");
      expect(await counts(letter.id)).toMatchObject({ undisclosed: 1, waiting: 1 });
      expect((await release(midnight(12))).rows).toBe(0);

      // Staying undisclosed for good takes it out of the figure, but only at the next release.
      await change("undisclosed", at("2027-05-12T14:41:00.000Z"));
      expect(await counts(letter.id)).toMatchObject({ undisclosed: 1, waiting: 1 });
      await release(at("2027-05-12T23:00:00.000Z"));
      expect((await counts(letter.id)).waiting).toBe(1);
      expect((await release(midnight(13))).letters).toEqual([letter.id]);
      expect(await counts(letter.id)).toMatchObject({ total: 2, undisclosed: 1, waiting: 0 });

      // Back to a condition: waiting again from the release after.
      await change("threshold", at("2027-05-13T08:00:00.000Z"), "5");
      expect((await counts(letter.id)).waiting).toBe(0);
      await release(midnight(14));
      expect((await counts(letter.id)).waiting).toBe(1);

      // Withdrawn: counted and waiting both until the release, then neither.
      await withdrawSignature(
        deps(),
        { slug: letter.slug, manageToken: signed.manageToken },
        at("2027-05-14T16:20:00.000Z"),
      );
      expect(await counts(letter.id)).toMatchObject({ total: 2, undisclosed: 1, waiting: 1 });
      await release(midnight(15));
      expect(await counts(letter.id)).toMatchObject({ total: 1, undisclosed: 0, waiting: 0 });
    });

    it("follows a change made before approval, and a listing at once", async () => {
      const letter = await insertSignableLetter(store.current().db, { moderation: true });
      await insertSignatures(store.current().db, letter, [{}]);
      const signed = await signWithCondition(letter.slug, "Magway Farmers Union", { threshold: "1" }, day1);
      // A signer's change before approval: the row does not count yet, so nothing waits for a release.
      await changeListingCondition(
        deps(),
        { slug: letter.slug, manageToken: signed.manageToken, choice: "threshold", threshold: "2" },
        day1,
      );
      expect(await counts(letter.id)).toMatchObject({ undisclosed: 0, waiting: 0 });
      await approveSignature(deps(), { actor: "cli", signatureId: signed.id }, day1);
      expect(await counts(letter.id)).toMatchObject({ total: 2, undisclosed: 1, waiting: 1 });

      await insertSignatures(store.current().db, letter, [{ displayName: "Second Listed" }]);
      const listed = await listThresholdEndorsements(
        deps(),
        {
          actor: "cli",
          letterId: letter.id,
          endorsements: [{ signatureId: signed.id, name: "Magway Farmers Union" }],
        },
        day1,
      );
      expect(listed.results[0]!.outcome).toBe("listed");
      expect(await counts(letter.id)).toMatchObject({ total: 3, listed: 3, undisclosed: 0, waiting: 0 });
    });
  });
}
