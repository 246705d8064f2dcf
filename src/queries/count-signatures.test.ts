import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countsOf } from "../../test/counts.ts";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { insertCampaign, insertLetter, insertSignatures } from "../../test/letter-factory.ts";
import { zeroCounts } from "../domain/counts.ts";
import type { SignatureKind, SignatureState, Visibility } from "../domain/signature-states.ts";
import { countSignatures } from "./count-signatures.ts";

const signature = fc.record({
  kind: fc.constantFrom<SignatureKind>("organisation", "individual"),
  visibility: fc.constantFrom<Visibility>("listed", "undisclosed"),
  state: fc.constantFrom<SignatureState>(
    "unconfirmed",
    "confirmed",
    "approved",
    "rejected",
    "withdrawn",
    "merged",
  ),
});

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`countSignatures on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("counts approved signatures only, grouped per letter, kind and visibility", async () => {
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const a = await insertLetter(db, { campaignId: campaign.id, signers: "both" });
      const b = await insertLetter(db, { campaignId: campaign.id });
      const empty = await insertLetter(db, { campaignId: campaign.id });
      await insertSignatures(db, a, [
        { visibility: "listed" },
        { visibility: "listed" },
        { visibility: "undisclosed" },
        { kind: "individual", visibility: "listed" },
        { kind: "individual", visibility: "undisclosed" },
        { kind: "individual", visibility: "undisclosed" },
        { visibility: "listed", state: "confirmed" },
        { visibility: "undisclosed", state: "unconfirmed" },
        { visibility: "listed", state: "rejected" },
        { visibility: "undisclosed", state: "withdrawn" },
        { visibility: "listed", state: "merged" },
      ]);
      await insertSignatures(db, b, [{ visibility: "undisclosed" }]);

      const counts = await countSignatures(db, [a.id, b.id, empty.id, a.id]);
      expect(counts.get(a.id)).toEqual(
        countsOf({
          organisation: { listed: 2, undisclosed: 1 },
          individual: { listed: 1, undisclosed: 2 },
          waiting: 0,
        }),
      );
      expect(counts.get(b.id)).toMatchObject({ total: 1, listed: 0, undisclosed: 1 });
      expect(counts.get(empty.id)).toEqual(zeroCounts());
      expect(await countSignatures(db, [])).toEqual(new Map());
    });

    it("matches a naive count for any mix of states, visibilities and kinds", async () => {
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      await fc.assert(
        fc.asyncProperty(
          fc.array(signature, { maxLength: 40 }),
          fc.array(signature, { maxLength: 40 }),
          async (first, second) => {
            const one = await insertLetter(db, { campaignId: campaign.id });
            const two = await insertLetter(db, { campaignId: campaign.id });
            await insertSignatures(db, one, first);
            await insertSignatures(db, two, second);
            const counts = await countSignatures(db, [one.id, two.id]);
            for (const [letter, signatures] of [
              [one, first],
              [two, second],
            ] as const) {
              const c = counts.get(letter.id)!;
              const approved = signatures.filter((s) => s.state === "approved");
              expect(c.listed + c.undisclosed).toBe(c.total);
              expect(c.total).toBe(approved.length);
              expect(c.undisclosed).toBe(approved.filter((s) => s.visibility === "undisclosed").length);
              for (const kind of ["organisation", "individual"] as const) {
                const k = c.byKind[kind];
                expect(k.listed + k.undisclosed).toBe(k.total);
                expect(k.listed).toBe(
                  approved.filter((s) => s.kind === kind && s.visibility === "listed").length,
                );
              }
            }
          },
        ),
        { numRuns: 25 },
      );
    });
  });
}
