/*
 * C2SP tlog-tiles arithmetic: tiles of height 8 (256 hashes wide). The tile at tile level L, index N holds
 * the Merkle hashes at tree level 8·L, indexes N·256 … N·256+W−1; entry bundles mirror level 0.
 */

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
export const HASH_SIZE = 32;

export type TileAddress = {
  /** Tile level (0…63), or "entries" for an entry bundle. */
  level: number | "entries";
  index: number;
  /** 1…255 for a partial tile, 256 for a full one. */
  width: number;
};

/** Index 1234067 → `x001/x234/067`. */
export function encodeTileIndex(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`tile index ${index}`);
  const groups: string[] = [];
  let rest = index;
  do {
    groups.unshift(String(rest % 1000).padStart(3, "0"));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join("/");
}

/** The path under the log prefix, e.g. `tile/0/x001/234.p/7` or `tile/entries/000`. */
export function tilePath(tile: TileAddress): string {
  const suffix = tile.width === TILE_WIDTH ? "" : `.p/${tile.width}`;
  return `tile/${tile.level}/${encodeTileIndex(tile.index)}${suffix}`;
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/**
 * Parses the part after `tile/`, strictly (no extra leading zeroes, `x` on every group but the last, widths
 * 1…255): null for anything else, so one resource has exactly one name and caches cannot be split.
 */
export function parseTilePath(path: string): TileAddress | null {
  const parts = path.split("/");
  const levelPart = parts.shift();
  let level: number | "entries";
  if (levelPart === "entries") level = "entries";
  else if (levelPart !== undefined && DECIMAL.test(levelPart) && Number(levelPart) <= 63)
    level = Number(levelPart);
  else return null;
  let width = TILE_WIDTH;
  if (parts.length >= 2 && parts[parts.length - 2]!.endsWith(".p")) {
    const w = parts.pop()!;
    if (!DECIMAL.test(w) || Number(w) < 1 || Number(w) >= TILE_WIDTH) return null;
    width = Number(w);
    parts[parts.length - 1] = parts[parts.length - 1]!.slice(0, -2);
  }
  if (parts.length === 0 || parts.length > 6) return null;
  let index = 0;
  for (let i = 0; i < parts.length; i++) {
    const last = i === parts.length - 1;
    const match = /^(x?)([0-9]{3})$/.exec(parts[i]!);
    if (!match || (match[1] === "x") === last) return null;
    index = index * 1000 + Number(match[2]);
  }
  // The first group must not be a padding zero group: x000/001 would alias 001.
  if (parts.length > 1 && parts[0] === "x000") return null;
  return { level, index, width };
}

/** How many hashes exist at tile level `level` (tree level 8·level) in a tree of `size` leaves. */
export function hashesAtTileLevel(size: number, level: number): number {
  return Math.floor(size / TILE_WIDTH ** level);
}

/** Whether a tree of `size` leaves has the tile (full, or partial at least as wide as asked). */
export function tileExists(tile: TileAddress, size: number): boolean {
  const available = hashesAtTileLevel(size, tile.level === "entries" ? 0 : tile.level);
  return tile.index * TILE_WIDTH + tile.width <= available;
}

/** The tiles a checkpoint of `size` needs at every level, right edge partial: what a client fetches. */
export function tilesForSize(size: number): TileAddress[] {
  const tiles: TileAddress[] = [];
  for (let level = 0; hashesAtTileLevel(size, level) > 0; level++) {
    const count = hashesAtTileLevel(size, level);
    for (let index = 0; index * TILE_WIDTH < count; index++) {
      tiles.push({ level, index, width: Math.min(TILE_WIDTH, count - index * TILE_WIDTH) });
    }
  }
  return tiles;
}

/** Entry bundle: big-endian uint16 length-prefixed entries. */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(entries.reduce((n, e) => n + 2 + e.length, 0));
  let at = 0;
  for (const entry of entries) {
    if (entry.length > 0xffff) throw new RangeError("a log entry must be under 64 KiB");
    out[at] = entry.length >> 8;
    out[at + 1] = entry.length & 0xff;
    out.set(entry, at + 2);
    at += 2 + entry.length;
  }
  return out;
}

export function decodeEntryBundle(bundle: Uint8Array): Uint8Array[] {
  const entries: Uint8Array[] = [];
  let at = 0;
  while (at < bundle.length) {
    if (at + 2 > bundle.length) throw new Error("entry bundle ends inside a length prefix");
    const length = (bundle[at]! << 8) | bundle[at + 1]!;
    if (at + 2 + length > bundle.length) throw new Error("entry bundle ends inside an entry");
    entries.push(bundle.slice(at + 2, at + 2 + length));
    at += 2 + length;
  }
  return entries;
}

/** Splits a hash tile into its 32-byte hashes. */
export function decodeHashTile(tile: Uint8Array): Uint8Array[] {
  if (tile.length % HASH_SIZE !== 0) throw new Error("hash tile is not a whole number of hashes");
  const hashes: Uint8Array[] = [];
  for (let at = 0; at < tile.length; at += HASH_SIZE) hashes.push(tile.slice(at, at + HASH_SIZE));
  return hashes;
}
