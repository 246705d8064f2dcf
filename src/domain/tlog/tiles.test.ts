import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeEntryBundle,
  encodeEntryBundle,
  encodeTileIndex,
  parseTilePath,
  tileExists,
  tilePath,
  tilesForSize,
} from "./tiles.ts";

describe("tile paths", () => {
  it("encodes indexes in x-prefixed groups of three digits, as tlog-tiles specifies", () => {
    expect(encodeTileIndex(1234067)).toBe("x001/x234/067");
    expect(encodeTileIndex(0)).toBe("000");
    expect(encodeTileIndex(1000)).toBe("x001/000");
    expect(tilePath({ level: 0, index: 1234067, width: 256 })).toBe("tile/0/x001/x234/067");
    expect(tilePath({ level: "entries", index: 5, width: 17 })).toBe("tile/entries/005.p/17");
  });

  it("parses exactly what it encodes, and nothing else", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 63 }), fc.constant("entries" as const)),
        fc.nat({ max: 2 ** 40 }),
        fc.integer({ min: 1, max: 256 }),
        (level, index, width) => {
          const tile = { level, index, width };
          expect(parseTilePath(tilePath(tile).slice("tile/".length))).toEqual(tile);
        },
      ),
    );
    for (const bad of [
      "0/1",
      "0/0001",
      "0/x001",
      "0/001/002",
      "64/000",
      "00/000",
      "0/000.p/0",
      "0/000.p/256",
      "0/x000/001",
      "0/000.p/07",
      "x/000",
      "0/000.p",
      "",
    ]) {
      expect(parseTilePath(bad), bad).toBeNull();
    }
  });

  it("knows which tiles a tree of 70,000 has (the spec's example)", () => {
    const tiles = tilesForSize(70_000);
    expect(tiles.filter((t) => t.level === 0 && t.width === 256)).toHaveLength(273);
    expect(tiles.filter((t) => t.width < 256)).toEqual([
      { level: 0, index: 273, width: 112 },
      { level: 1, index: 1, width: 17 },
      { level: 2, index: 0, width: 1 },
    ]);
    expect(tiles.filter((t) => t.level === 1 && t.width === 256)).toHaveLength(1);
    expect(tilesForSize(256)).toEqual([
      { level: 0, index: 0, width: 256 },
      { level: 1, index: 0, width: 1 },
    ]);
    expect(tileExists({ level: 0, index: 273, width: 112 }, 70_000)).toBe(true);
    expect(tileExists({ level: 0, index: 273, width: 113 }, 70_000)).toBe(false);
    expect(tileExists({ level: 0, index: 273, width: 256 }, 70_000)).toBe(false);
    expect(tileExists({ level: 2, index: 0, width: 1 }, 65_535)).toBe(false);
  });
});

describe("entry bundles", () => {
  it("round-trip uint16 length-prefixed entries", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 256 }), (entries) => {
        expect(decodeEntryBundle(encodeEntryBundle(entries))).toEqual(entries);
      }),
    );
    expect([...encodeEntryBundle([new Uint8Array([9, 8, 7])])]).toEqual([0, 3, 9, 8, 7]);
  });

  it("refuse a truncated bundle", () => {
    expect(() => decodeEntryBundle(new Uint8Array([0, 3, 9]))).toThrow(/inside an entry/);
    expect(() => decodeEntryBundle(new Uint8Array([0]))).toThrow(/length prefix/);
  });
});
