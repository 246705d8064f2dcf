import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, equalBytes } from "./bytes.ts";

/*
 * RFC 6962 Merkle trees (section 2.1, with the verification algorithms of RFC 9162 section 2.1.3.2 and
 * 2.1.4.2). Leaf = SHA-256(0x00 ‖ entry), node = SHA-256(0x01 ‖ left ‖ right), empty tree = SHA-256("").
 *
 * Stored state is the set of *complete* subtrees: node (level, index) covers leaves
 * [index·2^level, (index+1)·2^level). Those never change once the tree has grown past them, so they can be
 * stored forever and served as tiles; every other hash (a root, a proof's right-hand part) is a fold of a
 * few of them. Proof building is split in two pure steps around one batched read: which nodes a proof
 * needs, then the hashes from those nodes, so a database answers a proof in one query.
 *
 * Sizes and indexes are plain numbers: exact up to 2^53 entries, far beyond any letter's log.
 */

export type NodeId = { level: number; index: number };
export type StoredNode = NodeId & { hash: Uint8Array };
/** A half-open range of leaves [lo, hi) whose RFC 6962 Merkle Tree Hash a proof carries. */
export type LeafRange = { lo: number; hi: number };

const LEAF_PREFIX = new Uint8Array([0]);
const NODE_PREFIX = new Uint8Array([1]);

export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

export function leafHash(entry: Uint8Array): Uint8Array {
  return sha256(concatBytes(LEAF_PREFIX, entry));
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(concatBytes(NODE_PREFIX, left, right));
}

function assertSize(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be a whole number, got ${n}`);
}

/** The largest power of two strictly below n (n ≥ 2): RFC 6962's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  let p = 1;
  while (p < n) p *= 2;
  return p === n;
}

/** [lo, hi) as maximal aligned complete subtrees, left to right. */
export function subtreeNodes(lo: number, hi: number): NodeId[] {
  const nodes: NodeId[] = [];
  while (lo < hi) {
    let level = 0;
    let width = 1;
    while (lo % (width * 2) === 0 && lo + width * 2 <= hi) {
      level++;
      width *= 2;
    }
    nodes.push({ level, index: lo / width });
    lo += width;
  }
  return nodes;
}

/**
 * The Merkle Tree Hash of a range that RFC 6962's recursion produces (its start aligned to a power of two
 * at least its length), folded right to left from its complete subtrees.
 */
export function rangeHash(range: LeafRange, lookup: (node: NodeId) => Uint8Array): Uint8Array {
  if (range.hi === range.lo) return EMPTY_ROOT;
  const hashes = subtreeNodes(range.lo, range.hi).map(lookup);
  let hash = hashes.pop()!;
  while (hashes.length > 0) hash = nodeHash(hashes.pop()!, hash);
  return hash;
}

/** RFC 6962 PATH(index, D[0:size]) as ranges, leaf's sibling first. */
export function inclusionRanges(index: number, size: number): LeafRange[] {
  assertSize("size", size);
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new RangeError(`index ${index} is outside a tree of size ${size}`);
  }
  const path: LeafRange[] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      path.push({ lo: lo + k, hi });
      hi = lo + k;
    } else {
      path.push({ lo, hi: lo + k });
      lo += k;
    }
  }
  return path.reverse();
}

/** RFC 6962 PROOF(oldSize, D[0:newSize]) as ranges, in proof order; empty when either size is 0 or they are equal. */
export function consistencyRanges(oldSize: number, newSize: number): LeafRange[] {
  assertSize("old size", oldSize);
  assertSize("new size", newSize);
  if (oldSize > newSize) throw new RangeError(`old size ${oldSize} exceeds new size ${newSize}`);
  if (oldSize === 0 || oldSize === newSize) return [];
  const proof: LeafRange[] = [];
  let lo = 0;
  let hi = newSize;
  let m = oldSize;
  let whole = true;
  while (m !== hi - lo) {
    const k = splitPoint(hi - lo);
    if (m <= k) {
      proof.push({ lo: lo + k, hi });
      hi = lo + k;
    } else {
      proof.push({ lo, hi: lo + k });
      lo += k;
      m -= k;
      whole = false;
    }
  }
  if (!whole) proof.push({ lo, hi });
  return proof.reverse();
}

/** Every complete node the given ranges need: one batched read answers a whole proof. */
export function nodesForRanges(ranges: readonly LeafRange[]): NodeId[] {
  const seen = new Map<string, NodeId>();
  for (const range of ranges) {
    for (const node of subtreeNodes(range.lo, range.hi)) seen.set(`${node.level}/${node.index}`, node);
  }
  return [...seen.values()];
}

/** Builds a lookup over fetched nodes that fails loudly on a node the store did not have. */
export function nodeLookup(nodes: Iterable<StoredNode>): (node: NodeId) => Uint8Array {
  const byId = new Map<string, Uint8Array>();
  for (const node of nodes) byId.set(`${node.level}/${node.index}`, node.hash);
  return (node) => {
    const hash = byId.get(`${node.level}/${node.index}`);
    if (!hash) throw new Error(`Merkle node ${node.level}/${node.index} is missing`);
    return hash;
  };
}

export function treeRoot(size: number, lookup: (node: NodeId) => Uint8Array): Uint8Array {
  return rangeHash({ lo: 0, hi: size }, lookup);
}

/**
 * The complete subtrees of a tree of `size` leaves (its right edge, at most one per level): all an append
 * needs to know about what came before.
 */
export function frontierNodes(size: number): NodeId[] {
  return subtreeNodes(0, size);
}

/**
 * Appends leaves to a tree whose frontier is given, returning every node that became complete (the leaves
 * themselves included) and the new frontier. Pure: the caller stores the new nodes.
 */
export function appendLeaves(
  frontier: readonly StoredNode[],
  size: number,
  leaves: readonly Uint8Array[],
): { created: StoredNode[]; frontier: StoredNode[] } {
  const stack = [...frontier];
  const created: StoredNode[] = [];
  let next = size;
  for (const leaf of leaves) {
    let node: StoredNode = { level: 0, index: next, hash: leaf };
    created.push(node);
    while (stack.length > 0 && stack[stack.length - 1]!.level === node.level) {
      const left = stack.pop()!;
      node = { level: node.level + 1, index: left.index / 2, hash: nodeHash(left.hash, node.hash) };
      created.push(node);
    }
    stack.push(node);
    next++;
  }
  return { created, frontier: stack };
}

/** RFC 6962 MTH straight from the definition, for tests and for verifiers that hold every leaf. */
export function rootOfLeaves(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return EMPTY_ROOT;
  return appendLeaves([], 0, leaves).frontier.reduceRight<Uint8Array | null>(
    (acc, node) => (acc === null ? node.hash : nodeHash(node.hash, acc)),
    null,
  )!;
}

/** RFC 9162 section 2.1.3.2. */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(r, root);
}

/** RFC 9162 section 2.1.4.2; the empty tree is consistent with every tree, and equal sizes need equal roots. */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  proof: readonly Uint8Array[],
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 0 || oldSize > newSize) {
    return false;
  }
  if (oldSize === newSize) return proof.length === 0 && equalBytes(oldRoot, newRoot);
  if (oldSize === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = [...proof];
  if (isPowerOfTwo(oldSize)) path.unshift(oldRoot);
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(fr, oldRoot) && equalBytes(sr, newRoot);
}
