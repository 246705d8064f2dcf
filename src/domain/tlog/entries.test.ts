import { describe, expect, it } from "vitest";
import { countsOf } from "../../../test/counts.ts";
import { utf8 } from "./bytes.ts";
import {
  commitment,
  ENDORSEMENT_TYPE,
  type EndorsementEntry,
  encodeEntry,
  formatEntry,
  parseEntry,
  recountLetter,
  STATEMENT_TYPE,
  textHash,
  WITHDRAWAL_TYPE,
} from "./entries.ts";
import { formatTlogProof, parseTlogProof } from "./proof.ts";

const text = textHash("We, the undersigned…");
const endorsement = (over: Partial<EndorsementEntry> = {}): EndorsementEntry => ({
  type: ENDORSEMENT_TYPE,
  letter: "free-the-press",
  visibility: "undisclosed",
  signer: "organisation",
  text,
  day: "2026-12-02",
  commit: commitment(new Uint8Array(32).fill(1), utf8("sealed")),
  ...over,
});

describe("log entries", () => {
  it("are text lines, first the type, and parse back exactly", () => {
    const e = endorsement();
    expect(formatEntry(e)).toBe(
      `undersigned/endorsement/v1\nletter free-the-press\nvisibility undisclosed\nsigner organisation\ntext ${text}\nday 2026-12-02\ncommit ${e.commit}\n`,
    );
    expect(parseEntry(encodeEntry(e))).toEqual(e);
    const w = {
      type: WITHDRAWAL_TYPE,
      letter: "free-the-press",
      visibility: "listed",
      signer: "individual",
      entry: 3,
    } as const;
    expect(parseEntry(encodeEntry(w))).toEqual(w);
    const s = {
      type: STATEMENT_TYPE,
      letter: "free-the-press",
      total: 3,
      listed: 1,
      undisclosed: 2,
      text,
    } as const;
    expect(parseEntry(encodeEntry(s))).toEqual(s);
  });

  it("refuse anything else", () => {
    expect(() => formatEntry({ ...endorsement(), day: "2 Dec" })).toThrow(/day/);
    expect(() =>
      formatEntry({ type: STATEMENT_TYPE, letter: "x", total: 2, listed: 1, undisclosed: 0, text }),
    ).toThrow(/total/);
    const good = formatEntry(endorsement());
    for (const bad of [
      good.slice(0, -1),
      good.replace("signer organisation", "signer robot"),
      `${good}extra 1\n`,
      good.replace("letter ", "letter  "),
    ]) {
      expect(parseEntry(utf8(bad)), bad).toBeNull();
    }
    expect(parseEntry(new Uint8Array([0xff, 0xfe]))).toBeNull();
  });
});

describe("recounting a letter", () => {
  it("counts endorsements minus withdrawals per visibility and signer, for that letter only", () => {
    const entries = [
      endorsement(),
      endorsement({ visibility: "listed", signer: "individual" }),
      endorsement({ letter: "another-letter" }),
      endorsement({ visibility: "listed" }),
      {
        type: WITHDRAWAL_TYPE,
        letter: "free-the-press",
        visibility: "listed",
        signer: "individual",
        entry: 1,
      } as const,
    ].map((e) => encodeEntry(e));
    const recount = recountLetter(entries, "free-the-press");
    expect(recount.counts).toEqual(countsOf({ organisation: { listed: 1, undisclosed: 1 } }));
    expect(recount.counting).toEqual([0, 3]);
    expect(recount.problems).toEqual([]);
  });

  it("reports a withdrawal of something that was not counting", () => {
    const w = {
      type: WITHDRAWAL_TYPE,
      letter: "free-the-press",
      visibility: "undisclosed",
      signer: "organisation",
      entry: 0,
    } as const;
    const recount = recountLetter(
      [endorsement(), w, w].map((e) => encodeEntry(e)),
      "free-the-press",
    );
    expect(recount.counts.total).toBe(0);
    expect(recount.problems).toHaveLength(1);
  });
});

describe("tlog-proof receipts", () => {
  it("round-trip, and refuse a malformed one", () => {
    const p = {
      extra: utf8("entry\n"),
      index: 5,
      proof: [new Uint8Array(32).fill(2)],
      checkpoint: "o\n6\nAA==\n\n— o AAAA\n",
    };
    const text = formatTlogProof(p);
    expect(text.startsWith("c2sp.org/tlog-proof@v1\nextra ZW50cnkK\nindex 5\n")).toBe(true);
    expect(parseTlogProof(text)).toEqual(p);
    expect(parseTlogProof(text.replace("index 5", "index 05"))).toBeNull();
    expect(parseTlogProof(text.replace("c2sp.org", "example.org"))).toBeNull();
  });
});
