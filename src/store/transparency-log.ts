import type { Kysely, Transaction } from "kysely";
import { startOfUtcHour } from "../domain/coarse-time.ts";
import { fromBase64, toBase64 } from "../domain/tlog/bytes.ts";
import { encodeEntry, type LogEntry } from "../domain/tlog/entries.ts";
import {
  appendLeaves,
  consistencyRanges,
  EMPTY_ROOT,
  frontierNodes,
  inclusionRanges,
  leafHash,
  type NodeId,
  nodeHash,
  nodeLookup,
  nodesForRanges,
  rangeHash,
  type StoredNode,
} from "../domain/tlog/merkle.ts";
import {
  formatCheckpoint,
  formatSignerKey,
  formatVerifierKey,
  generateSigner,
  parseSignerKey,
  type SignerKey,
  signNote,
} from "../domain/tlog/note.ts";
import {
  encodeEntryBundle,
  HASH_SIZE,
  TILE_WIDTH,
  type TileAddress,
  tileExists,
} from "../domain/tlog/tiles.ts";
import type { LogEntryKind } from "./schema/records.ts";
import type { Database } from "./schema.ts";

/*
 * The transparency log's storage: entries and complete subtree hashes in the database, so that every
 * process serves the same log and any of them can append. Appends are serialised by updating the one
 * log_state row first thing in the transaction (a row lock on PostgreSQL, the write lock on SQLite).
 */

type Db = Kysely<Database> | Transaction<Database>;

export class LogKeyMismatchError extends Error {
  constructor(configured: string, stored: string) {
    super(
      `LOG_KEY does not match this installation's log key: the database holds ${stored}, LOG_KEY is ${configured}. Start every process with the same LOG_KEY (or none, to use the key kept in the database).`,
    );
  }
}

export type LogIdentity = { origin: string; signer: SignerKey; verifierKey: string };

/**
 * The installation's log key, made at first start. With LOG_KEY set, the database keeps only its verifier
 * key, and a process with another key refuses to start (two keys would fork the log's signatures).
 */
export async function ensureLogKey(
  db: Kysely<Database>,
  options: { origin: string; configuredKey: string | undefined },
  now: Date,
): Promise<LogIdentity> {
  const configured = options.configuredKey ? parseSignerKey(options.configuredKey) : null;
  if (options.configuredKey && !configured) {
    throw new Error(
      "LOG_KEY: must be a note signer key like PRIVATE+KEY+<name>+<hash>+<base64> (undersigned log-key makes one)",
    );
  }
  const existing = await db.selectFrom("log_state").selectAll().where("id", "=", 1).executeTakeFirst();
  if (!existing) {
    const signer = configured ?? generateSigner(options.origin);
    const checkpoint = signNote(formatCheckpoint({ origin: signer.name, size: 0, root: EMPTY_ROOT }), signer);
    await db
      .insertInto("log_state")
      .values({
        id: 1,
        origin: signer.name,
        verifier_key: formatVerifierKey(signer),
        signer_key: configured ? null : formatSignerKey(signer),
        size: 0,
        checkpoint,
        updated_at: now.toISOString(),
      })
      .onConflict((oc) => oc.column("id").doNothing())
      .execute();
    // Two processes starting together: whichever inserted first wins, the other checks against it below.
  }
  const state = await db.selectFrom("log_state").selectAll().where("id", "=", 1).executeTakeFirstOrThrow();
  const signer = configured ?? (state.signer_key ? parseSignerKey(state.signer_key) : null);
  if (!signer) {
    throw new Error(
      `LOG_KEY: this installation's log key (${state.verifier_key}) is kept outside the database; start with LOG_KEY set`,
    );
  }
  if (formatVerifierKey(signer) !== state.verifier_key) {
    throw new LogKeyMismatchError(formatVerifierKey(signer), state.verifier_key);
  }
  return { origin: state.origin, signer, verifierKey: state.verifier_key };
}

export type NewEntry = {
  entry: LogEntry;
  letterId: number | null;
  signatureId: number | null;
  listedName?: string;
  listedSalt?: string;
  /** For a withdrawal: the endorsement it ends, marked so the names file drops it. */
  withdraws?: number;
};

const KIND: Record<LogEntry["type"], LogEntryKind> = {
  "undersigned/endorsement/v1": "endorsement",
  "undersigned/withdrawal/v1": "withdrawal",
  "undersigned/statement/v1": "statement",
};

async function readNodes(db: Db, nodes: readonly NodeId[]): Promise<StoredNode[]> {
  if (nodes.length === 0) return [];
  const rows = await db
    .selectFrom("log_nodes")
    .select(["level", "idx", "hash"])
    .where((eb) => eb.or(nodes.map((n) => eb.and([eb("level", "=", n.level), eb("idx", "=", n.index)]))))
    .execute();
  return rows.map((r) => ({ level: r.level, index: r.idx, hash: fromBase64(r.hash)! }));
}

/**
 * Appends entries inside the caller's transaction and signs the new checkpoint. The caller's transaction
 * must be the one that decided what to append, so a concurrent integrator cannot append the same change.
 */
export async function appendToLog(
  trx: Transaction<Database>,
  signer: SignerKey,
  entries: readonly NewEntry[],
  now: Date,
): Promise<{ firstIndex: number; size: number }> {
  const state = await lockLog(trx);
  if (entries.length === 0) return { firstIndex: state.size, size: state.size };
  const frontier = await readNodes(trx, frontierNodes(state.size));
  const encoded = entries.map((e) => encodeEntry(e.entry));
  const { created, frontier: next } = appendLeaves(frontier, state.size, encoded.map(leafHash));
  const at = startOfUtcHour(now);
  const decoder = new TextDecoder();
  const entryRows = entries.map((e, i) => ({
    idx: state.size + i,
    kind: KIND[e.entry.type],
    letter_id: e.letterId,
    signature_id: e.signatureId,
    entry: decoder.decode(encoded[i]),
    listed_name: e.listedName ?? null,
    listed_salt: e.listedSalt ?? null,
    withdrawn_by: null,
    created_at: at,
  }));
  for (let i = 0; i < entryRows.length; i += 200) {
    await trx
      .insertInto("log_entries")
      .values(entryRows.slice(i, i + 200))
      .execute();
  }
  const nodeRows = created.map((n) => ({ level: n.level, idx: n.index, hash: toBase64(n.hash) }));
  for (let i = 0; i < nodeRows.length; i += 300) {
    await trx
      .insertInto("log_nodes")
      .values(nodeRows.slice(i, i + 300))
      .execute();
  }
  for (const [i, e] of entries.entries()) {
    if (e.withdraws === undefined) continue;
    await trx
      .updateTable("log_entries")
      .set({ withdrawn_by: state.size + i, listed_name: null, listed_salt: null })
      .where("idx", "=", e.withdraws)
      .execute();
  }
  const size = state.size + entries.length;
  // The new frontier folded right to left is the root, by RFC 6962's definition (see merkle.ts).
  const root = next.reduceRight<Uint8Array | null>(
    (acc, node) => (acc === null ? node.hash : nodeHash(node.hash, acc)),
    null,
  )!;
  const checkpoint = signNote(formatCheckpoint({ origin: state.origin, size, root }), signer);
  await trx
    .updateTable("log_state")
    .set({ size, checkpoint, updated_at: now.toISOString() })
    .where("id", "=", 1)
    .execute();
  return { firstIndex: state.size, size };
}

/** Takes the log's append lock for the rest of the transaction and returns its state. */
export async function lockLog(trx: Transaction<Database>): Promise<{ size: number; origin: string }> {
  const locked = await trx
    .updateTable("log_state")
    .set((eb) => ({ size: eb.ref("size") }))
    .where("id", "=", 1)
    .executeTakeFirst();
  if (Number(locked.numUpdatedRows) !== 1)
    throw new Error("the transparency log has no key yet (ensureLogKey runs at start)");
  return trx.selectFrom("log_state").select(["size", "origin"]).where("id", "=", 1).executeTakeFirstOrThrow();
}

export async function readLogState(db: Db) {
  return db.selectFrom("log_state").selectAll().where("id", "=", 1).executeTakeFirst();
}

/** A hash tile or entry bundle, or null when the tree (as of its newest checkpoint) does not have it. */
export async function readTile(db: Db, tile: TileAddress): Promise<Uint8Array | null> {
  const state = await readLogState(db);
  if (!state || !tileExists(tile, state.size)) return null;
  const first = tile.index * TILE_WIDTH;
  if (tile.level === "entries") {
    const rows = await db
      .selectFrom("log_entries")
      .select(["entry"])
      .where("idx", ">=", first)
      .where("idx", "<", first + tile.width)
      .orderBy("idx")
      .execute();
    const encoder = new TextEncoder();
    return encodeEntryBundle(rows.map((r) => encoder.encode(r.entry)));
  }
  const rows = await db
    .selectFrom("log_nodes")
    .select(["hash"])
    .where("level", "=", tile.level * 8)
    .where("idx", ">=", first)
    .where("idx", "<", first + tile.width)
    .orderBy("idx")
    .execute();
  const out = new Uint8Array(rows.length * HASH_SIZE);
  for (const [i, r] of rows.entries()) out.set(fromBase64(r.hash)!, i * HASH_SIZE);
  return out;
}

/** The inclusion proof of entry `index` in the tree of `size`, with the root it leads to. */
export async function proveInclusion(db: Db, index: number, size: number) {
  const ranges = inclusionRanges(index, size);
  const lookup = nodeLookup(await readNodes(db, nodesForRanges([...ranges, { lo: 0, hi: size }])));
  return { proof: ranges.map((r) => rangeHash(r, lookup)), root: rangeHash({ lo: 0, hi: size }, lookup) };
}

export async function proveConsistency(db: Db, oldSize: number, newSize: number): Promise<Uint8Array[]> {
  const ranges = consistencyRanges(oldSize, newSize);
  const lookup = nodeLookup(await readNodes(db, nodesForRanges(ranges)));
  return ranges.map((r) => rangeHash(r, lookup));
}
