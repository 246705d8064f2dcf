import type { Kysely } from "kysely";
import { startOfUtcDay } from "../domain/coarse-time.ts";
import type { RowOutcome } from "../domain/endorsement-import.ts";
import { outcomeOf } from "../domain/endorsement-import.ts";
import { rowProblem } from "../domain/endorsement-row-check.ts";
import { type Actor, auditActor } from "../policies/actor.ts";
import { recordAudit } from "./audit.ts";
import type { CommandDeps } from "./deps.ts";
import { type ImportProgress, type StorableRow, storeBatch } from "./import-batch.ts";
import type { ImportStatus, ImportTarget } from "./import-target.ts";
import { letterChanged } from "./letter-changes.ts";
import type { Database } from "./schema.ts";

/*
 * The database half of an import, shared by the two ways rows arrive: a file read and sealed where the
 * import runs (import-signatures.ts: the CLI, and the console for files without undisclosed rows), and rows
 * prepared and sealed in the coordinator's browser (import-sealed-signatures.ts). By here every row is
 * checked and every undisclosed identity and every contact is a sealed box. Duplicates and re-imports are
 * recognised as import-signatures.ts explains: listed names by match key, undisclosed ones by their keyed
 * match key when the import had the coalition key open, a file seen before by its digest.
 *
 * Rows are stored in batches, each its own short transaction, so that a 100,000-row import never holds the
 * database long enough to keep a sign-on waiting, and memory holds one batch, not the file. Each batch
 * advances the import's record (table imports: the last row done and the counts so far) in the same
 * transaction as its rows, so after a crash the record says exactly which rows are in: running the same
 * file again resumes after them and the letter ends with exactly the rows one uninterrupted run gives.
 */
export type ImportReport = {
  /** Every row's outcome, in file order; empty when they were handed to onRows as they came instead. */
  rows: RowOutcome[];
  imported: number;
  duplicates: number;
  rejected: number;
  /** Headers that map to no canonical column (a form's other questions). */
  ignoredColumns: string[];
};

/**
 * File rows per batch (one transaction each): large enough that a transaction's fixed cost is spread thin,
 * small enough that one lasts a few milliseconds and holds a few hundred kilobytes.
 */
export const IMPORT_BATCH_ROWS = 1_000;

const IMPORT_ACTION = "signature.import";

/** A file's row as the import meets it: already settled (refused, repeated), or a candidate of type T. */
export type IncomingRow<T> = { row: number; outcome: RowOutcome } | { row: number; candidate: T };

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

  /** The last row of the batches handed on so far (stored, or sealing and storing now). */
  let rowsTaken = start.rowsDone;
  input.onProgress?.({ importId: start.id, ...start.counts, rowsDone: rowsTaken });
  let outcomes: RowOutcome[] = [];
  let candidates: { row: number; candidate: T }[] = [];
  let lastRow = rowsTaken;
  // One batch at a time is stored, in file order, while the next one is read, checked and sealed (in a
  // worker thread, when the sealer is one): memory holds two batches at most.
  let storing: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (lastRow === rowsTaken) return;
    const batch = { from: rowsTaken, to: lastRow, settled: outcomes };
    const sealing = input.seal(candidates.map((c) => c.candidate));
    rowsTaken = lastRow;
    outcomes = [];
    candidates = [];
    const previous = storing;
    storing = (async () => {
      const rows = await sealing;
      await previous;
      const stored = await storeBatch(
        deps.store.db,
        { ...input, importId: start.id },
        { ...batch, rows },
        now,
      );
      emit([...batch.settled, ...stored.outcomes]);
      if (stored.progress.imported > 0) letterChanged(target.id);
      input.onProgress?.({ importId: start.id, ...stored.progress });
    })();
    // A failure is thrown where the import waits for this batch, below; until then it is not unhandled.
    storing.catch(() => {});
    await previous;
  };
  for await (const r of input.rows) {
    if (r.row <= start.rowsDone) continue;
    if (r.row - rowsTaken > IMPORT_BATCH_ROWS) await flush();
    lastRow = r.row;
    if ("outcome" in r) outcomes.push(r.outcome);
    else candidates.push(r);
  }
  await flush();
  await storing;
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
