import { randomInt } from "node:crypto";
import { type Kysely, PostgresAdapter, type RawBuilder, sql } from "kysely";
import type { Database } from "./schema.ts";

/*
 * Random row ids for rows a signer's action causes. A sequential id places a row between its neighbours,
 * and a neighbour with an exact time (a coordinator's mail, an audit entry) would bracket the signer's
 * moment; a random id says nothing about when the row was made. The range stays within what URLs accept
 * (nine digits, web/http/ids.ts) and well above what a sequence reaches.
 *
 * Endorsements that come through the sign form get one too: their neighbours in the signatures table are
 * imported rows, stamped with the coordinator's exact moment.
 *
 * Where such rows share a table with timed ones (the outbox, the signatures), the timed rows must not continue after a random
 * id: SQLite's auto-increment takes the largest id present plus one, so a coordinator's mail queued while a
 * confirmation mail waits would jump the sequence, and the jump would mark the moment. There the timed rows
 * take the next id below the random range instead (sequentialId); PostgreSQL's sequences ignore explicit ids.
 */

const LOWEST = 100_000_000;
const HIGHEST = 900_000_000;

type RandomIdTable = "signer_events" | "outbox_messages" | "signatures";

/**
 * Inserts a row under a random id no row holds yet. `insert` writes the row under the id it is given with
 * `ON CONFLICT (id) DO NOTHING … RETURNING`, so a clash (one in hundreds of millions) returns nothing and is
 * tried again with another id: one statement per row, where looking the id up first took two.
 */
export async function insertUnderRandomId<T>(insert: (id: number) => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const row = await insert(randomInt(LOWEST, HIGHEST));
    if (row !== undefined) return row;
  }
}

/**
 * The id for a timed row of a table that also holds random ids: undefined on PostgreSQL (its sequence), on
 * SQLite one past the largest id below the random range, computed in the INSERT itself so that concurrent
 * writers (serialised by SQLite's write lock) cannot take the same one.
 */
export function sequentialId(db: Kysely<Database>, table: RandomIdTable): RawBuilder<number> | undefined {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return undefined;
  return sql<number>`(select coalesce(max(id), 0) + 1 from ${sql.table(table)} where id < ${LOWEST})`;
}

/**
 * The first of `count` ids for timed rows inserted together (an import's batch): undefined on PostgreSQL,
 * on SQLite one past the largest id below the random range. Read inside the inserting transaction: SQLite
 * serialises writers, so no other insert takes these ids in between.
 */
export async function firstSequentialId(
  db: Kysely<Database>,
  table: RandomIdTable,
  count: number,
): Promise<number | undefined> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return undefined;
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.max("id").as("top"))
    .where("id", "<", LOWEST)
    .executeTakeFirst();
  const first = Number(row?.top ?? 0) + 1;
  if (first + count > LOWEST) throw new Error(`${table}: sequential ids would reach the random range`);
  return first;
}

/** Puts `rows` in a random order (Fisher–Yates with the system's random source), so ids given after it say nothing of the order they came in. */
export function shuffleInPlace<T>(rows: T[]): void {
  for (let i = rows.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [rows[i], rows[j]] = [rows[j] as T, rows[i] as T];
  }
}
