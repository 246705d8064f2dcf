import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildTree } from "../../../test/merkle-tree.ts";
import { utf8 } from "./bytes.ts";
import { ENDORSEMENT_TYPE, encodeEntry } from "./entries.ts";
import { leafHash, rootOfLeaves } from "./merkle.ts";
import { formatCheckpoint, generateSigner, signNote } from "./note.ts";
import { formatTlogProof } from "./proof.ts";
import { checkReceipt, isConsistent, nodesFromTiles } from "./receipt.ts";
import { HASH_SIZE, TILE_WIDTH, type TileAddress, tileExists } from "./tiles.ts";

const signer = generateSigner("example.org/log");

/** Entries of a log: distinct endorsements, as a log's are (each has its own commitment). */
function entries(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) =>
    encodeEntry({
      type: ENDORSEMENT_TYPE,
      letter: "a-letter",
      visibility: i % 3 === 0 ? "listed" : "undisclosed",
      signer: "organisation",
      text: `${"A".repeat(43)}=`,
      day: "2026-03-02",
      commit: `${String(i).padStart(43, "B")}=`,
    }),
  );
}

/** A log of these entries serving its hash tiles, as /log/tile/… does, refusing tiles its size lacks. */
function tileServer(leaves: Uint8Array[]) {
  const { nodes } = buildTree(leaves);
  const at = new Map(nodes.map((n) => [`${n.level}/${n.index}`, n.hash]));
  const readTile = async (tile: TileAddress) => {
    const level = tile.level as number;
    if (!tileExists(tile, leaves.length)) throw new Error("no such tile");
    const out = new Uint8Array(tile.width * HASH_SIZE);
    for (let i = 0; i < tile.width; i++)
      out.set(at.get(`${level * 8}/${tile.index * TILE_WIDTH + i}`)!, i * HASH_SIZE);
    return out;
  };
  return { nodes, readTile };
}

const checkpoint = (leaves: Uint8Array[]) => ({
  origin: "example.org/log",
  size: leaves.length,
  root: rootOfLeaves(leaves.map(leafHash)),
});

function receiptFor(leaves: Uint8Array[], index: number, key = signer): string {
  return formatTlogProof({
    extra: leaves[index]!,
    index,
    proof: buildTree(leaves).inclusion(index, leaves.length),
    checkpoint: signNote(formatCheckpoint(checkpoint(leaves)), key),
  });
}

// Sizes across the first tile boundaries (256 leaves, one level-1 hash), kept small enough to run often.
const sizes = fc.integer({ min: 1, max: 700 });

describe("receipts checked from the tiles, on random logs", () => {
  it("every subtree hash read from tiles is the stored one", async () => {
    await fc.assert(
      fc.asyncProperty(sizes, async (n) => {
        const leaves = entries(n);
        const { nodes, readTile } = tileServer(leaves);
        const read = await nodesFromTiles(nodes, n, readTile);
        expect(read.map((r) => Buffer.from(r.hash).toString("hex"))).toEqual(
          nodes.map((r) => Buffer.from(r.hash).toString("hex")),
        );
      }),
      { numRuns: 25 },
    );
  });

  it("an older tree is always consistent with a grown log, and never with a rewritten one", async () => {
    await fc.assert(
      fc.asyncProperty(sizes, fc.nat(), fc.nat(), async (n, a, b) => {
        const leaves = entries(n);
        const m = 1 + (a % n);
        const { readTile } = tileServer(leaves);
        expect(await isConsistent(checkpoint(leaves.slice(0, m)), checkpoint(leaves), readTile)).toBe(true);
        // The operator changes (or deletes and replaces) one entry the older tree holds, and re-signs.
        const rewritten = leaves.slice();
        rewritten[b % m] = utf8(`changed ${b}`);
        const server = tileServer(rewritten);
        expect(
          await isConsistent(checkpoint(leaves.slice(0, m)), checkpoint(rewritten), server.readTile),
        ).toBe(false);
      }),
      { numRuns: 40 },
    );
  });

  it("a receipt verifies; a changed entry, index or key never does", () => {
    fc.assert(
      fc.property(sizes, fc.nat(), (n, a) => {
        const leaves = entries(n);
        const index = a % n;
        const text = receiptFor(leaves, index);
        const verifier = [signer];
        const check = checkReceipt(text, verifier);
        expect(check.ok && check.index === index && check.checkpoint.size === n).toBe(true);
        expect(checkReceipt(text.replace(/\r?\n$/, ""), verifier).ok).toBe(true);
        const other = entries(n + 1)[n]!;
        const changed = text.replace(/^extra \S+$/m, `extra ${Buffer.from(other).toString("base64")}`);
        expect(checkReceipt(changed, verifier)).toEqual({ ok: false, problem: "inclusion" });
        if (n > 1) {
          const moved = text.replace(/^index \d+$/m, `index ${(index + 1) % n}`);
          expect(checkReceipt(moved, verifier)).toEqual({ ok: false, problem: "inclusion" });
        }
        const stranger = generateSigner("example.org/log");
        expect(checkReceipt(receiptFor(leaves, index, stranger), verifier)).toEqual({
          ok: false,
          problem: "signature",
        });
      }),
      { numRuns: 40 },
    );
  });
});
