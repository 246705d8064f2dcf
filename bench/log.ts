import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sha256 } from "@noble/hashes/sha2.js";
import { toBase64 } from "../src/domain/tlog/bytes.ts";
import { ENDORSEMENT_TYPE, type LogEntry } from "../src/domain/tlog/entries.ts";
import {
  appendLeaves,
  consistencyRanges,
  inclusionRanges,
  leafHash,
  nodesForRanges,
} from "../src/domain/tlog/merkle.ts";
import { openStore } from "../src/store/db.ts";
import { migrateToLatest } from "../src/store/migrate.ts";
import { appendToLog, ensureLogKey, proveInclusion } from "../src/store/transparency-log.ts";

/*
 * The transparency log's cost. Baseline, measured in the same run: bare SHA-256 of 64-byte messages (what
 * an RFC 6962 tree cannot do without). Reported: in-memory appends per second and their cost in baseline
 * hashes; appends per second through the store on SQLite (entries, nodes and a signed checkpoint per
 * batch, the integrator's path); proof sizes at one million entries.
 *
 *   npx tsx bench/log.ts [--million]   (--million also stores one million entries: minutes, ~400 MB)
 */

const million = process.argv.includes("--million");
const entry = (i: number): LogEntry => ({
  type: ENDORSEMENT_TYPE,
  letter: "bench-letter",
  visibility: i % 3 === 0 ? "listed" : "undisclosed",
  signer: "organisation",
  text: toBase64(sha256(new Uint8Array([1]))),
  day: "2026-12-02",
  commit: toBase64(sha256(new Uint8Array([i & 0xff, i >> 8, i >> 16]))),
});

function perSecond(count: number, run: () => void): number {
  const start = performance.now();
  run();
  return count / ((performance.now() - start) / 1000);
}

const N = 200_000;
const message = new Uint8Array(65);
const hashes = perSecond(N, () => {
  for (let i = 0; i < N; i++) sha256(message);
});
const leaves = Array.from({ length: N }, (_, i) => sha256(new Uint8Array([i & 0xff, i >> 8, i >> 16])));
const appends = perSecond(N, () => {
  appendLeaves(
    [],
    0,
    leaves.map((l) => leafHash(l)),
  );
});

const dataDir = mkdtempSync(path.join(os.tmpdir(), "undersigned-bench-log-"));
const store = await openStore({ dataDir });
await migrateToLatest(store.db);
const { signer } = await ensureLogKey(
  store.db,
  { origin: "bench.example/log", configuredKey: undefined },
  new Date(),
);
const stored = million ? 1_000_000 : 20_000;
const batch = 1_000;
const start = performance.now();
for (let done = 0; done < stored; done += batch) {
  await store.db.transaction().execute((trx) =>
    appendToLog(
      trx,
      signer,
      Array.from({ length: batch }, (_, i) => ({
        entry: entry(done + i),
        letterId: null,
        signatureId: null,
      })),
      new Date(),
    ),
  );
}
const storedPerSecond = stored / ((performance.now() - start) / 1000);
const proofStart = performance.now();
const proof = await proveInclusion(store.db, Math.floor(stored / 3), stored);
const proofMs = performance.now() - proofStart;
await store.close();
rmSync(dataDir, { recursive: true, force: true });

const atMillion = 1_000_000;
const inclusion = inclusionRanges(atMillion - 12_345, atMillion).length;
const consistency = consistencyRanges(atMillion - 12_345, atMillion).length;
console.log(`baseline: ${Math.round(hashes).toLocaleString("en")} SHA-256/s (64-byte messages)`);
console.log(
  `in-memory appends: ${Math.round(appends).toLocaleString("en")}/s = ${(hashes / appends).toFixed(2)} baseline hashes per append`,
);
console.log(
  `stored appends (SQLite, batches of ${batch}, ${stored.toLocaleString("en")} entries): ${Math.round(storedPerSecond).toLocaleString("en")}/s = ${(hashes / storedPerSecond).toFixed(1)} baseline hashes per append`,
);
console.log(
  `inclusion proof from the store at ${stored.toLocaleString("en")}: ${proof.proof.length} hashes in ${proofMs.toFixed(1)} ms`,
);
console.log(
  `at 1,000,000 entries: inclusion proof ${inclusion} hashes (${inclusion * 32} B), consistency proof ${consistency} hashes (${consistency * 32} B)`,
);
// What the verify page fetches to check a receipt against the newest tree: the hash tiles holding the
// consistency proof's nodes, for receipts issued at any earlier size.
const tilesFor = (oldSize: number) =>
  new Set(
    nodesForRanges(consistencyRanges(oldSize, atMillion)).map(
      (n) => `${Math.floor(n.level / 8)}/${Math.floor((n.index * 2 ** (n.level % 8)) / 256)}`,
    ),
  ).size;
const oldSizes = Array.from({ length: 1000 }, (_, i) => 1 + Math.floor(((i + 0.5) * (atMillion - 1)) / 1000));
const tileCounts = oldSizes.map(tilesFor);
console.log(
  `receipt check at 1,000,000 entries: at most ${Math.max(...tileCounts)} hash tiles (${Math.max(...tileCounts) * 8} KiB), mean ${(tileCounts.reduce((a, b) => a + b, 0) / tileCounts.length).toFixed(1)}, over 1,000 receipt sizes`,
);
