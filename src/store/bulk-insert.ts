import { CompiledQuery, type DialectAdapter, type Insertable, type Kysely } from "kysely";
import type { Database } from "./schema.ts";

/*
 * Inserting many rows of one shape (an import's batches). Kysely's `insertInto(…).values(rows)` builds a
 * query tree of every value (a 500-row insert of the signatures table is some 11,000 nodes) and compiles it
 * to SQL, batch after batch: most of the garbage an import made, and on SQLite every distinct row count gave
 * a new statement to compile and keep (db.ts keeps them by their SQL). Yet the SQL depends only on the table,
 * the columns and the number of rows. So rows go in chunks of a few fixed sizes (powers of two), each
 * chunk's SQL is compiled once (by Kysely, so each dialect gets its own placeholders) and reused, and the
 * values travel as one flat parameter list.
 */

/** The largest chunk: 256 rows of ~25 columns stays well under both databases' bound-parameter limits. */
const MOST_ROWS = 256;

/** SQL per dialect, by table, columns and row count: a handful of shapes per table. */
const compiled = new WeakMap<DialectAdapter, Map<string, string>>();

/**
 * Inserts `rows` into `table`. Every row must have the same keys in the same order (the first row's are
 * used); a value left undefined is stored as NULL rather than the column's default.
 */
export async function insertRows<T extends keyof Database & string>(
  db: Kysely<Database>,
  table: T,
  rows: readonly Insertable<Database[T]>[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  let from = 0;
  while (from < rows.length) {
    const count = chunkSize(rows.length - from);
    const parameters: unknown[] = [];
    for (let i = from; i < from + count; i++) {
      const row = rows[i] as Record<string, unknown>;
      for (const column of columns) parameters.push(row[column] ?? null);
    }
    await db.executeQuery(CompiledQuery.raw(insertSql(db, table, columns, count), parameters));
    from += count;
  }
}

/** The largest power of two up to MOST_ROWS that fits in what is left. */
function chunkSize(left: number): number {
  let size = MOST_ROWS;
  while (size > left) size /= 2;
  return size;
}

function insertSql(db: Kysely<Database>, table: string, columns: string[], count: number): string {
  const adapter = db.getExecutor().adapter;
  const byShape = compiled.get(adapter) ?? new Map<string, string>();
  compiled.set(adapter, byShape);
  const shape = `${table}(${columns.join()})×${count}`;
  let sql = byShape.get(shape);
  if (sql === undefined) {
    const row = Object.fromEntries(columns.map((column) => [column, null]));
    sql = db
      .insertInto(table as keyof Database)
      .values(Array.from({ length: count }, () => row) as never)
      .compile().sql;
    byShape.set(shape, sql);
  }
  return sql;
}
