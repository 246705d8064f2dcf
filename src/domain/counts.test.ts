import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countsOf } from "../../test/counts.ts";
import { assembleCounts, COUNTED_STATE, type CountGroup, zeroCounts } from "./counts.ts";
import type { SignatureKind, SignatureState, Visibility } from "./signature-states.ts";

const KINDS: SignatureKind[] = ["organisation", "individual"];
const VISIBILITIES: Visibility[] = ["listed", "undisclosed"];
const STATES: SignatureState[] = ["unconfirmed", "confirmed", "approved", "rejected", "withdrawn", "merged"];

const signature = fc.record({
  kind: fc.constantFrom(...KINDS),
  visibility: fc.constantFrom(...VISIBILITIES),
  state: fc.constantFrom(...STATES),
});

/** What the count query does in SQL: keep the counted state, group by kind and visibility. */
function group(signatures: { kind: SignatureKind; visibility: Visibility; state: SignatureState }[]) {
  const groups = new Map<string, CountGroup>();
  for (const s of signatures.filter((s) => s.state === COUNTED_STATE)) {
    const key = `${s.kind}/${s.visibility}`;
    const g = groups.get(key) ?? { kind: s.kind, visibility: s.visibility, count: 0 };
    g.count += 1;
    groups.set(key, g);
  }
  return [...groups.values()];
}

describe("assembleCounts", () => {
  it("keeps listed + undisclosed = total, overall and per kind, for any mix of signatures", () => {
    fc.assert(
      fc.property(fc.array(signature, { maxLength: 300 }), (signatures) => {
        const counts = assembleCounts(group(signatures));
        const approved = signatures.filter((s) => s.state === "approved");
        expect(counts.listed + counts.undisclosed).toBe(counts.total);
        expect(counts.total).toBe(approved.length);
        expect(counts.listed).toBe(approved.filter((s) => s.visibility === "listed").length);
        for (const kind of KINDS) {
          const k = counts.byKind[kind];
          expect(k.listed + k.undisclosed).toBe(k.total);
          expect(k.total).toBe(approved.filter((s) => s.kind === kind).length);
        }
        expect(counts.byKind.organisation.total + counts.byKind.individual.total).toBe(counts.total);
        expect(counts.byKind.organisation.listed + counts.byKind.individual.listed).toBe(counts.listed);
      }),
      { numRuns: 500 },
    );
  });

  it("adds up repeated groups and treats missing ones as zero", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            kind: fc.constantFrom(...KINDS),
            visibility: fc.constantFrom(...VISIBILITIES),
            count: fc.nat({ max: 1_000_000 }),
          }),
          { maxLength: 12 },
        ),
        (groups) => {
          const counts = assembleCounts(groups);
          const sum = groups.reduce((n, g) => n + g.count, 0);
          expect(counts.total).toBe(sum);
          expect(counts.listed + counts.undisclosed).toBe(counts.total);
        },
      ),
    );
  });

  it("starts from zero", () => {
    expect(zeroCounts()).toEqual(countsOf({ waiting: 0 }));
  });

  it("adds up the undisclosed that wait for their listing condition, and only those", () => {
    const counts = assembleCounts([
      { kind: "organisation", visibility: "undisclosed", count: 5, waiting: 2 },
      { kind: "individual", visibility: "undisclosed", count: 3, waiting: 1 },
      { kind: "organisation", visibility: "listed", count: 4, waiting: 0 },
    ]);
    expect(counts).toMatchObject({ total: 12, undisclosed: 8, waiting: 3 });
    expect(() =>
      assembleCounts([{ kind: "organisation", visibility: "undisclosed", count: 1, waiting: 2 }]),
    ).toThrow(RangeError);
  });

  it("refuses rows outside the schema rather than miscounting them", () => {
    expect(() => assembleCounts([{ kind: "organisation", visibility: "listed", count: -1 }])).toThrow(
      RangeError,
    );
    expect(() =>
      assembleCounts([{ kind: "robot" as SignatureKind, visibility: "listed", count: 1 }]),
    ).toThrow(RangeError);
  });
});
