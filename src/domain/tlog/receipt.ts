import { type LogEntry, parseEntry } from "./entries.ts";
import {
  consistencyRanges,
  leafHash,
  type NodeId,
  nodeLookup,
  nodesForRanges,
  rangeHash,
  rootOfLeaves,
  type StoredNode,
  verifyConsistency,
  verifyInclusion,
} from "./merkle.ts";
import { type Checkpoint, openNote, parseCheckpoint, type VerifierKey } from "./note.ts";
import { parseTlogProof } from "./proof.ts";
import { decodeHashTile, hashesAtTileLevel, TILE_HEIGHT, TILE_WIDTH, type TileAddress } from "./tiles.ts";

/*
 * Checking a signer's receipt (a C2SP tlog-proof whose extra data is the log entry), the same code in the
 * CLI and in the verify page's browser bundle: the checkpoint is signed by the log's key, the entry is in
 * the tree it names, and that tree is a prefix of the newest one (a consistency proof built from the log's
 * public tiles, so nothing but tile and checkpoint requests leave the reader, the same for every reader).
 */

export type ReceiptCheck =
  | { ok: true; entry: LogEntry; index: number; checkpoint: Checkpoint }
  | { ok: false; problem: ReceiptProblem };

export type ReceiptProblem = "format" | "entry" | "signature" | "inclusion";

/** The receipt on its own, offline: well formed, signed by one of `keys`, and its entry included. */
export function checkReceipt(text: string, keys: readonly VerifierKey[]): ReceiptCheck {
  const proof = parseTlogProof(text.trim() === "" ? "" : `${text.replace(/\s+$/, "")}\n`);
  if (!proof) return { ok: false, problem: "format" };
  const entry = proof.extra ? parseEntry(proof.extra) : null;
  if (!proof.extra || !entry) return { ok: false, problem: "entry" };
  const opened = openNote(proof.checkpoint, keys);
  const checkpoint = opened ? parseCheckpoint(opened.text) : null;
  if (!checkpoint) return { ok: false, problem: "signature" };
  if (!verifyInclusion(leafHash(proof.extra), proof.index, checkpoint.size, proof.proof, checkpoint.root))
    return { ok: false, problem: "inclusion" };
  return { ok: true, entry, index: proof.index, checkpoint };
}

export type TileReader = (tile: TileAddress) => Promise<Uint8Array>;

/**
 * Complete subtree hashes of a tree of `size` leaves read from its hash tiles: a node at level 8·L + r is
 * the Merkle hash of 2^r consecutive hashes of one tile at tile level L. Each tile is fetched once.
 */
export async function nodesFromTiles(
  nodes: readonly NodeId[],
  size: number,
  readTile: TileReader,
): Promise<StoredNode[]> {
  const tiles = new Map<string, Promise<Uint8Array[]>>();
  const tile = (level: number, index: number) => {
    const width = Math.min(TILE_WIDTH, hashesAtTileLevel(size, level) - index * TILE_WIDTH);
    const key = `${level}/${index}/${width}`;
    let hashes = tiles.get(key);
    if (!hashes) {
      hashes = readTile({ level, index, width }).then((bytes) => {
        const decoded = decodeHashTile(bytes);
        if (decoded.length !== width) throw new Error(`tile ${key} holds ${decoded.length} hashes`);
        return decoded;
      });
      tiles.set(key, hashes);
    }
    return hashes;
  };
  return Promise.all(
    nodes.map(async (node) => {
      const level = Math.floor(node.level / TILE_HEIGHT);
      const span = 2 ** (node.level % TILE_HEIGHT);
      const first = node.index * span;
      const hashes = await tile(level, Math.floor(first / TILE_WIDTH));
      const at = first % TILE_WIDTH;
      return { ...node, hash: rootOfLeaves(hashes.slice(at, at + span)) };
    }),
  );
}

/** Whether the tree of `older` is a prefix of the tree of `newer`, checked from `newer`'s tiles. */
export async function isConsistent(
  older: Checkpoint,
  newer: Checkpoint,
  readTile: TileReader,
): Promise<boolean> {
  if (older.origin !== newer.origin || older.size > newer.size) return false;
  const ranges = consistencyRanges(older.size, newer.size);
  const lookup = nodeLookup(await nodesFromTiles(nodesForRanges(ranges), newer.size, readTile));
  const proof = ranges.map((r) => rangeHash(r, lookup));
  return verifyConsistency(older.size, newer.size, proof, older.root, newer.root);
}
