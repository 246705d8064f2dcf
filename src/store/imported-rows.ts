import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { startOfUtcDay } from "../domain/coarse-time.ts";
import type { ImportLetter, RowOutcome } from "../domain/endorsement-import.ts";
import { outcomeOf, rowProblem } from "../domain/endorsement-import.ts";
import type { SignatureKind, SignatureState, Visibility } from "../domain/signature-states.ts";
import { type Actor, auditActor, authorise } from "../policies/actor.ts";
import { recordAudit } from "./audit.ts";
import type { CommandDeps } from "./deps.ts";
import { letterChanged } from "./letter-changes.ts";
import type { Database } from "./schema.ts";

/*
 * The database half of an import, shared by the two ways rows arrive: a file read and sealed where the
 * import runs (import-signatures.ts: the CLI, and the console for files without undisclosed rows), and rows
 * prepared and sealed in the coordinator's browser (import-sealed-signatures.ts). By here every row is
 * checked and every undisclosed identity and every contact is a sealed box. Duplicates and re-imports are
 * recognised as import-signatures.ts explains: listed names by match key, a file seen before by its digest.
 *
 * Rows are stored in batches, each its own short transaction, so that a 100,000-row import never holds the
 * database long enough to keep a sign-on waiting, and memory holds one batch, not the file. Each batch
 * advances the import's record (table imports: the last row done and the counts so far) in the same
 * transaction as its rows, so after a crash the record says exactly which rows are in: running the same
 * file again resumes after them and the letter ends with exactly the rows one uninterrupted run gives.
 */

export type ImportStatus = "confirmed" | "approved";

export type ImportReport = {
  /** Every row's outcome, in file order; empty when they were handed to onRows as they came instead. */
  rows: RowOutcome[];
  imported: number;
  duplicates: number;
  rejected: number;
  /** Headers that map to no canonical column (a form's other questions). */
  ignoredColumns: string[];
};

/** The import cannot start: `usage` when the file or the arguments are at fault (exit code 2). */
export class ImportRefused extends Error {
  constructor(
    message: string,
    readonly usage: boolean,
    /** For the console's translated message: import.refused.<code>. */
    readonly code: "noLetter" | "noText" | "noKey" | "demoKey" | "file" | "busy" = "file",
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

export type ImportTarget = {
  id: number;
  campaignId: number;
  versionId: number;
  publicKey: string;
  letter: ImportLetter;
};

/** The letter an import goes to, refused when it cannot take sealed rows yet; the actor is authorised here. */
export async function importTarget(
  db: Kysely<Database>,
  actor: Actor,
  letter: { slug: string } | { id: number },
): Promise<ImportTarget> {
  let query = db
    .selectFrom("letters")
    .innerJoin("campaigns", "campaigns.id", "letters.campaign_id")
    .select([
      "letters.id",
      "letters.campaign_id",
      "letters.current_version_id",
      "letters.signers",
      "letters.allow_undisclosed",
      "letters.categories",
      "campaigns.public_key",
      "campaigns.demo_key",
    ]);
  query =
    "slug" in letter
      ? query.where("letters.slug", "=", letter.slug)
      : query.where("letters.id", "=", letter.id);
  const row = await query.executeTakeFirst();
  const name = "slug" in letter ? letter.slug : String(letter.id);
  if (!row) throw new ImportRefused(`there is no letter "${name}"`, true, "noLetter");
  authorise(actor, "signature.edit", row.campaign_id);
  if (row.current_version_id === null) throw new ImportRefused("the letter has no text yet", false, "noText");
  if (!row.public_key)
    throw new ImportRefused(
      "the letter's campaign has no coalition key yet (undersigned keygen)",
      false,
      "noKey",
    );
  // The example campaign's private key sits on the server: nothing real may be sealed to it.
  if (row.demo_key)
    throw new ImportRefused("the example campaign's key must not seal real endorsements", false, "demoKey");
  return {
    id: row.id,
    campaignId: row.campaign_id,
    versionId: row.current_version_id,
    publicKey: row.public_key,
    letter: {
      signers: row.signers,
      allowUndisclosed: row.allow_undisclosed === 1,
      categories: JSON.parse(row.categories) as string[],
    },
  };
}

/** A row ready to store: public fields for listed rows only, sealed boxes for the rest. */
export type StorableRow = {
  row: number;
  kind: SignatureKind;
  visibility: Visibility;
  listed: {
    name: string;
    nameAlt: string | null;
    category: string | null;
    country: string | null;
    website: string | null;
    key: string;
  } | null;
  sealedIdentity: string | null;
  sealedContact: string | null;
  signedAt: string | null;
};

/** States in which an endorsement holds its name: a new one with the same match key would duplicate it. */
const HOLDING: readonly SignatureState[] = ["unconfirmed", "confirmed", "approved"];

/** Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits at ~20 columns a row. */
const INSERT_BATCH = 500;

/**
 * File rows per batch (one transaction each): large enough that a transaction's fixed cost is spread thin,
 * small enough that one lasts a few milliseconds and holds a few hundred kilobytes.
 */
export const IMPORT_BATCH_ROWS = 1_000;

const IMPORT_ACTION = "signature.import";

/**
 * Which of these match keys (of LISTED names only) an endorsement of the letter already holds: the rule by
 * which an import reports a row as a duplicate ("onLetter"), shared with the console's previews so that
 * they show exactly what the import will do. Chunked so a 100,000-row file does not become one query with
 * 100,000 parameters.
 */
export async function heldMatchKeys(
  db: Kysely<Database>,
  letterId: number,
  keys: readonly string[],
): Promise<Set<string>> {
  const held = new Set<string>();
  for (let i = 0; i < keys.length; i += INSERT_BATCH) {
    const found = await db
      .selectFrom("signatures")
      .select("match_key")
      .where("letter_id", "=", letterId)
      .where("state", "in", HOLDING)
      .where("match_key", "in", keys.slice(i, i + INSERT_BATCH))
      .execute();
    for (const r of found) held.add(r.match_key!);
  }
  return held;
}

/** A file's row as the import meets it: already settled (refused, repeated), or a candidate of type T. */
export type IncomingRow<T> = { row: number; outcome: RowOutcome } | { row: number; candidate: T };

export type ImportProgress = {
  importId: number;
  rowsDone: number;
  imported: number;
  duplicates: number;
  rejected: number;
};

/**
 * Stores a file's rows batch by batch: `rows` yields them in file order (rows before a resumed import's
 * checkpoint too, so the caller's repeat detection sees them; they are skipped here), `seal` turns a batch's
 * candidates into storable rows (the CPU-heavy part, done before its transaction opens). Outcomes go to
 * `onRows` as each batch commits, or into the report when no onRows is given.
 */
export async function runImport<T>(
  deps: Pick<CommandDeps, "store">,
  input: {
    actor: Actor;
    target: ImportTarget;
    status: ImportStatus;
    /** Where the rows come from, in the coordinator's words ("partner network form, March"). */
    note?: string | undefined;
    fileDigest: string;
    ignoredColumns: string[];
    rows: AsyncIterable<IncomingRow<T>> | Iterable<IncomingRow<T>>;
    seal: (candidates: T[]) => Promise<StorableRow[]>;
    onRows?: ((rows: RowOutcome[]) => void) | undefined;
    /** Called as the import starts (its record's id) and after each batch: the console's progress. */
    onProgress?: ((progress: ImportProgress) => void) | undefined;
  },
  now: Date,
): Promise<ImportReport> {
  const { target } = input;
  const kept: RowOutcome[] = [];
  const emit = (rows: RowOutcome[]) => {
    rows.sort((a, b) => a.row - b.row);
    if (input.onRows) input.onRows(rows);
    else kept.push(...rows);
  };
  const start = await beginImport(deps.store.db, target, input.fileDigest, input.status, now);

  if ("seenAt" in start) {
    // A file imported before: nothing is stored; every candidate is reported as already imported.
    const counts = { imported: 0, duplicates: 0, rejected: 0 };
    let pending: RowOutcome[] = [];
    for await (const r of input.rows) {
      const outcome =
        "outcome" in r
          ? r.outcome
          : outcomeOf(
              r.row,
              "duplicate",
              rowProblem("fileImported", { at: start.seenAt }, `this file was imported on ${start.seenAt}`),
            );
      counts[outcome.outcome === "rejected" ? "rejected" : "duplicates"]++;
      pending.push(outcome);
      if (pending.length >= IMPORT_BATCH_ROWS) {
        emit(pending);
        pending = [];
      }
    }
    emit(pending);
    await deps.store.db
      .transaction()
      .execute((trx) => auditImport(trx, input, { ...counts, fileDigest: input.fileDigest }, now));
    return { rows: kept, ...counts, ignoredColumns: input.ignoredColumns };
  }

  let rowsDone = start.rowsDone;
  input.onProgress?.({ importId: start.id, ...start.counts, rowsDone });
  let outcomes: RowOutcome[] = [];
  let candidates: { row: number; candidate: T }[] = [];
  let lastRow = rowsDone;
  const flush = async () => {
    if (lastRow === rowsDone) return;
    const sealed = await input.seal(candidates.map((c) => c.candidate));
    const stored = await storeBatch(
      deps.store.db,
      { ...input, importId: start.id },
      { from: rowsDone, to: lastRow, settled: outcomes, rows: sealed },
      now,
    );
    const batch = [...outcomes, ...stored.outcomes];
    rowsDone = lastRow;
    outcomes = [];
    candidates = [];
    emit(batch);
    if (stored.progress.imported > 0) letterChanged(target.id);
    input.onProgress?.({ importId: start.id, ...stored.progress });
  };
  for await (const r of input.rows) {
    if (r.row <= rowsDone) continue;
    if (r.row - rowsDone > IMPORT_BATCH_ROWS) await flush();
    lastRow = r.row;
    if ("outcome" in r) outcomes.push(r.outcome);
    else candidates.push(r);
  }
  await flush();
  const totals = await deps.store.db.transaction().execute(async (trx) => {
    const record = await trx
      .selectFrom("imports")
      .select(["imported", "duplicates", "rejected"])
      .where("id", "=", start.id)
      .executeTakeFirstOrThrow();
    // Finished: its times say no more than the day, like the endorsements it brought in.
    await trx
      .updateTable("imports")
      .set({ state: "done", started_at: startOfUtcDay(now), updated_at: startOfUtcDay(now) })
      .where("id", "=", start.id)
      .execute();
    await auditImport(trx, input, { ...record, fileDigest: input.fileDigest }, now);
    return record;
  });
  return { rows: kept, ...totals, ignoredColumns: input.ignoredColumns };
}

/**
 * The import's record for this file on this letter: a file finished before (here, or before imports had
 * records: by its audit entry) is `seenAt`; an unfinished one resumes after its last committed row; a new
 * one starts at the header.
 */
async function beginImport(
  db: Kysely<Database>,
  target: ImportTarget,
  fileDigest: string,
  status: ImportStatus,
  now: Date,
): Promise<
  | { seenAt: string }
  | { id: number; rowsDone: number; counts: { imported: number; duplicates: number; rejected: number } }
> {
  const find = () =>
    db
      .selectFrom("imports")
      .selectAll()
      .where("letter_id", "=", target.id)
      .where("file_sha256", "=", fileDigest)
      .executeTakeFirst();
  let record = await find();
  if (!record) {
    const earlier = await db
      .selectFrom("audit_entries")
      .select("at")
      .where("action", "=", IMPORT_ACTION)
      .where("letter_id", "=", target.id)
      .where("detail", "like", `%"file_sha256":"${fileDigest}"%`)
      .orderBy("at")
      .limit(1)
      .executeTakeFirst();
    if (earlier) return { seenAt: earlier.at };
    const at = now.toISOString();
    try {
      await db
        .insertInto("imports")
        .values({
          letter_id: target.id,
          file_sha256: fileDigest,
          status,
          state: "running",
          rows_done: 0,
          imported: 0,
          duplicates: 0,
          rejected: 0,
          started_at: at,
          updated_at: at,
        })
        .execute();
    } catch (error) {
      // Another run of the same file inserted it first: go on with its record (storeBatch keeps order).
      if (!(await find())) throw error;
    }
    record = (await find())!;
  }
  if (record.state === "done") return { seenAt: record.updated_at };
  return {
    id: record.id,
    rowsDone: record.rows_done,
    counts: { imported: record.imported, duplicates: record.duplicates, rejected: record.rejected },
  };
}

/**
 * One batch in one transaction: claims the rows after `from` up to `to` (refused if another run of the same
 * file got there first), sets apart listed names the letter already holds, inserts the rest and advances
 * the import's record by the batch's counts, `settled` (rows refused or repeated before storing) included.
 */
async function storeBatch(
  db: Kysely<Database>,
  input: { target: ImportTarget; status: ImportStatus; importId: number },
  batch: { from: number; to: number; settled: readonly RowOutcome[]; rows: readonly StorableRow[] },
  now: Date,
): Promise<{ outcomes: RowOutcome[]; progress: Omit<ImportProgress, "importId"> }> {
  const { target } = input;
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable("imports")
      .set({ rows_done: batch.to, updated_at: at })
      .where("id", "=", input.importId)
      .where("rows_done", "=", batch.from)
      .where("state", "=", "running")
      .executeTakeFirst();
    if (claimed.numUpdatedRows === 0n)
      throw new ImportRefused("another run is importing this file right now", false, "busy");
    const held = await heldMatchKeys(
      trx,
      target.id,
      batch.rows.flatMap((r) => (r.listed ? [r.listed.key] : [])),
    );
    const outcomes: RowOutcome[] = [];
    const values = [];
    for (const r of batch.rows) {
      if (r.listed && held.has(r.listed.key)) {
        outcomes.push(
          outcomeOf(r.row, "duplicate", rowProblem("onLetter", {}, "the letter already has this name")),
        );
        continue;
      }
      outcomes.push({ row: r.row, outcome: "imported" });
      values.push({
        letter_id: target.id,
        version_id: target.versionId,
        kind: r.kind,
        visibility: r.visibility,
        category: r.listed?.category ?? null,
        country: r.listed?.country ?? null,
        display_name: r.listed?.name ?? null,
        display_name_alt: r.listed?.nameAlt ?? null,
        website: r.listed?.website ?? null,
        match_key: r.listed?.key ?? null,
        sealed_identity: r.sealedIdentity,
        sealed_contact: r.sealedContact,
        state: input.status,
        source: "import" as const,
        leaf_salt: randomBytes(32).toString("base64url"),
        created_at: at,
        confirmed_at: r.signedAt ?? at,
        approved_at: input.status === "approved" ? at : null,
        updated_at: at,
      });
    }
    for (let i = 0; i < values.length; i += INSERT_BATCH) {
      await trx
        .insertInto("signatures")
        .values(values.slice(i, i + INSERT_BATCH))
        .execute();
    }
    const all = [...batch.settled, ...outcomes];
    const count = (o: RowOutcome["outcome"]) => all.filter((r) => r.outcome === o).length;
    const record = await trx
      .updateTable("imports")
      .set((eb) => ({
        imported: eb("imported", "+", count("imported")),
        duplicates: eb("duplicates", "+", count("duplicate")),
        rejected: eb("rejected", "+", count("rejected")),
      }))
      .where("id", "=", input.importId)
      .returning(["rows_done", "imported", "duplicates", "rejected"])
      .executeTakeFirstOrThrow();
    return {
      outcomes,
      progress: {
        rowsDone: record.rows_done,
        imported: record.imported,
        duplicates: record.duplicates,
        rejected: record.rejected,
      },
    };
  });
}

/** The import's audit entry: counts, the file digest and the coordinator's note on the source, never a name. */
async function auditImport(
  trx: Kysely<Database>,
  input: { actor: Actor; target: ImportTarget; status: ImportStatus; note?: string | undefined },
  result: { imported: number; duplicates: number; rejected: number; fileDigest: string },
  now: Date,
): Promise<void> {
  await recordAudit(
    trx,
    {
      actor: auditActor(input.actor),
      action: IMPORT_ACTION,
      subjectType: "letter",
      subjectId: input.target.id,
      campaignId: input.target.campaignId,
      letterId: input.target.id,
      detail: {
        status: input.status,
        imported: result.imported,
        duplicates: result.duplicates,
        rejected: result.rejected,
        file_sha256: result.fileDigest,
        ...(input.note ? { source: input.note } : {}),
      },
    },
    now,
  );
}
