import {
  appendLeaves,
  consistencyRanges,
  inclusionRanges,
  leafHash,
  nodeLookup,
  rangeHash,
  treeRoot,
} from "../src/domain/tlog/merkle.ts";

/** A tree built through the same append path the store uses, every created node kept, and its proofs. */
export function buildTree(leaves: readonly Uint8Array[]) {
  const { created } = appendLeaves([], 0, leaves.map(leafHash));
  const lookup = nodeLookup(created);
  return {
    nodes: created,
    root: (size: number) => treeRoot(size, lookup),
    inclusion: (index: number, size: number) => inclusionRanges(index, size).map((r) => rangeHash(r, lookup)),
    consistency: (m: number, n: number) => consistencyRanges(m, n).map((r) => rangeHash(r, lookup)),
  };
}
