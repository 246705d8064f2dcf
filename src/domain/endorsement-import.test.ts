import { describe, expect, it } from "vitest";
import { listedKeys, planRows, setApartOnLetter } from "./endorsement-import.ts";
import type { ImportLetter } from "./endorsement-row-check.ts";
import { matchKey } from "./names.ts";

const LETTER: ImportLetter = { signers: "organisations", allowUndisclosed: true, categories: [] };
const NOW = new Date("2026-11-01T00:00:00.000Z");

function plan() {
  return planRows(
    [
      ["Athan Media", "listed"],
      ["Quiet Lotus Collective", "undisclosed"],
      ["Golden Valley Network", ""],
      ["", "listed"],
    ],
    { name: 0, visibility: 1 },
    LETTER,
    NOW,
  );
}

describe("the listed rows a preview compares with the letter", () => {
  it("looks up listed rows' match keys only, never an undisclosed row's", () => {
    const keys = listedKeys(plan().candidates);
    expect(keys).toEqual([matchKey("Athan Media"), matchKey("Golden Valley Network")]);
    expect(keys).not.toContain(matchKey("Quiet Lotus Collective"));
  });

  it("sets apart the listed rows whose key the letter holds, and never an undisclosed row", () => {
    const { candidates } = plan();
    // Even if a key equal to an undisclosed row's turned up, that row stays ready: it is never compared.
    const held = new Set([matchKey("ATHAN  media"), matchKey("Quiet Lotus Collective")]);
    const { ready, onLetter } = setApartOnLetter(candidates, held);
    expect(onLetter.map((c) => [c.row, c.data.name])).toEqual([[2, "Athan Media"]]);
    expect(ready.map((c) => c.row)).toEqual([3, 4]);
    expect(setApartOnLetter(candidates, new Set()).ready).toEqual(candidates);
  });
});
