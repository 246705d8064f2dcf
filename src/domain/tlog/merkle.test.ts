import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildTree } from "../../../test/merkle-tree.ts";
import { toHex } from "./bytes.ts";
import {
  appendLeaves,
  EMPTY_ROOT,
  leafHash,
  rootOfLeaves,
  type StoredNode,
  verifyConsistency,
  verifyInclusion,
} from "./merkle.ts";

// RFC 6962's reference inputs and the roots, inclusion and consistency proofs that Certificate
// Transparency's implementations (C++, Go, Java) test against.
const INPUTS = [
  "",
  "00",
  "10",
  "2021",
  "3031",
  "40414243",
  "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
].map((hex) => Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16)));
const ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
const INCLUSION: [number, number, string[]][] = [
  [
    0,
    8,
    [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  ],
  [
    5,
    8,
    [
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  ],
  [2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]],
  [
    1,
    5,
    [
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  ],
];
const CONSISTENCY: [number, number, string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  ],
  [
    6,
    8,
    [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  ],
  [
    2,
    5,
    [
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  ],
];

const hex = (hashes: Uint8Array[]) => hashes.map(toHex);

describe("RFC 6962 Merkle tree", () => {
  const tree = buildTree(INPUTS);

  it("has the reference roots, and the empty tree is SHA-256 of nothing", () => {
    expect(INPUTS.map((_, i) => toHex(tree.root(i + 1)))).toEqual(ROOTS);
    expect(toHex(rootOfLeaves([]))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(toHex(tree.root(0))).toBe(toHex(EMPTY_ROOT));
    for (let n = 1; n <= INPUTS.length; n++) {
      expect(toHex(rootOfLeaves(INPUTS.slice(0, n).map(leafHash)))).toBe(ROOTS[n - 1]);
    }
  });

  it.each(INCLUSION)(
    "builds and verifies the reference inclusion proof of leaf %i in %i",
    (index, size, want) => {
      const proof = tree.inclusion(index, size);
      expect(hex(proof)).toEqual(want);
      const root = tree.root(size);
      expect(verifyInclusion(leafHash(INPUTS[index]!), index, size, proof, root)).toBe(true);
      expect(verifyInclusion(leafHash(INPUTS[index]!), index + 1, size, proof, root)).toBe(false);
    },
  );

  it.each(CONSISTENCY)("builds and verifies the reference consistency proof %i → %i", (m, n, want) => {
    const proof = tree.consistency(m, n);
    expect(hex(proof)).toEqual(want);
    expect(verifyConsistency(m, n, proof, tree.root(m), tree.root(n))).toBe(true);
    if (m < n) expect(verifyConsistency(m, n, proof, tree.root(n), tree.root(n))).toBe(false);
  });
});

// Distinct entries (a log's entries always differ: each carries its own salted commitment); equal leaves
// would make a proof for one position hold at another, which is RFC 6962 working as specified.
const leavesArb = fc
  .array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 300 })
  .map((leaves) => leaves.map((bytes, i) => new Uint8Array([i >> 8, i & 0xff, ...bytes])));

describe("Merkle proofs on random logs", () => {
  it("every inclusion proof verifies, and a changed leaf, index, proof or root never does", () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), fc.nat(), fc.nat(), (leaves, a, b, flip) => {
        const tree = buildTree(leaves);
        const size = 1 + (a % leaves.length);
        const index = b % size;
        const root = tree.root(size);
        const proof = tree.inclusion(index, size);
        const leaf = leafHash(leaves[index]!);
        expect(verifyInclusion(leaf, index, size, proof, root)).toBe(true);
        expect(toHex(root)).toBe(toHex(rootOfLeaves(leaves.slice(0, size).map(leafHash))));
        const changed = new Uint8Array([...leaves[index]!, 1]);
        expect(verifyInclusion(leafHash(changed), index, size, proof, root)).toBe(false);
        if (size > 1) expect(verifyInclusion(leaf, (index + 1) % size, size, proof, root)).toBe(false);
        if (proof.length > 0) {
          const tampered = proof.map((h) => h.slice());
          const at = flip % tampered.length;
          tampered[at]![flip % 32]! ^= 1 << (flip % 8);
          expect(verifyInclusion(leaf, index, size, tampered, root)).toBe(false);
          expect(verifyInclusion(leaf, index, size, proof.slice(0, -1), root)).toBe(false);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("every consistency proof verifies, and a rewritten history never does", () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), fc.nat(), fc.nat(), (leaves, a, b, flip) => {
        const tree = buildTree(leaves);
        const n = 1 + (a % leaves.length);
        const m = 1 + (b % n);
        const proof = tree.consistency(m, n);
        expect(verifyConsistency(m, n, proof, tree.root(m), tree.root(n))).toBe(true);
        // A log that changed any one of its first m entries cannot prove it extends the old tree.
        const rewritten = leaves.slice(0, n);
        const at = flip % m;
        rewritten[at] = new Uint8Array([...rewritten[at]!, 7]);
        const forged = buildTree(rewritten);
        expect(verifyConsistency(m, n, forged.consistency(m, n), tree.root(m), forged.root(n))).toBe(false);
        if (proof.length > 0) {
          const tampered = proof.map((h) => h.slice());
          tampered[flip % tampered.length]![0]! ^= 1;
          expect(verifyConsistency(m, n, tampered, tree.root(m), tree.root(n))).toBe(false);
        }
        // A shrunk log is never consistent with its former self.
        if (m < n) expect(verifyConsistency(n, m, [], tree.root(n), tree.root(m))).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it("appending in batches stores the same nodes as appending one by one", () => {
    fc.assert(
      fc.property(leavesArb, fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 20 }), (leaves, cuts) => {
        const hashes = leaves.map(leafHash);
        const whole = appendLeaves([], 0, hashes).created;
        const pieces: StoredNode[] = [];
        let frontier: StoredNode[] = [];
        let at = 0;
        for (const cut of [...cuts, hashes.length]) {
          const step = appendLeaves(frontier, at, hashes.slice(at, at + cut));
          pieces.push(...step.created);
          frontier = step.frontier;
          at = Math.min(hashes.length, at + cut);
          if (at === hashes.length) break;
        }
        const key = (n: StoredNode) => `${n.level}/${n.index}/${toHex(n.hash)}`;
        expect(pieces.map(key).sort()).toEqual(whole.map(key).sort());
      }),
      { numRuns: 60 },
    );
  });
});
