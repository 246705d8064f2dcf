import { randomBytes } from "node:crypto";
import type { Insertable, Kysely } from "kysely";
import { startOfUtcDay } from "../domain/coarse-time.ts";
import { confusableSkeleton } from "../domain/confusables.ts";
import { countedFlag } from "../domain/counts.ts";
import { importedOutcome, outcomeOf, type RowOutcome } from "../domain/endorsement-import.ts";
import { rowProblem } from "../domain/endorsement-row-check.ts";
import type { SignatureKind, Visibility } from "../domain/signature-states.ts";
import { utf8 } from "../domain/tlog/bytes.ts";
import { commitment, SALT_BYTES } from "../domain/tlog/entries.ts";
import { insertRows } from "./bulk-insert.ts";
import { heldKeyedMatchKeys, heldMatchKeys } from "./held-keys.ts";
import { ImportRefused, type ImportStatus, type ImportTarget } from "./import-target.ts";
import { firstSequentialId, shuffleInPlace } from "./random-ids.ts";
import type { SignaturesTable } from "./schema/signatures.ts";
import type { Database } from "./schema.ts";

/*
 * One batch of an import (imported-rows.ts) in one transaction: its rows checked against the letter once
 * more, numbered in a random order and inserted, and the import's record advanced with them.
 */

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
  /**
   * Undisclosed rows: the salt of their log commitment, also inside sealedIdentity (whoever sealed it put it
   * there). Only the commitment is stored (domain/tlog/entries.ts).
   */
  commitSalt: Uint8Array | null;
  signedAt: string | null;
  /** Undisclosed rows, when the coalition key was open where the file was read (keyed-match-key.ts). */
  keyedKey?: string | null | undefined;
  /** The file's ambiguous date, when the row is imported without one (reported, never guessed). */
  undatedFrom?: string | undefined;
};

export type ImportProgress = {
  importId: number;
  rowsDone: number;
  imported: number;
  duplicates: number;
  rejected: number;
};

/**
 * One batch in one transaction: claims the rows after `from` up to `to` (refused if another run of the same
 * file got there first), sets apart listed names the letter already holds, inserts the rest and advances
 * the import's record by the batch's counts, `settled` (rows refused or repeated before storing) included.
 */
export async function storeBatch(
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
    const heldKeyed = await heldKeyedMatchKeys(
      trx,
      target.id,
      batch.rows.flatMap((r) => (!r.listed && r.keyedKey ? [r.keyedKey] : [])),
    );
    const outcomes: RowOutcome[] = [];
    const values: Insertable<SignaturesTable>[] = [];
    // One draw of random bytes for the batch's salts: a draw per row cost more than the rest of the row.
    const salts = randomBytes(SALT_BYTES * batch.rows.length);
    for (const [n, r] of batch.rows.entries()) {
      if (r.listed ? held.has(r.listed.key) : r.keyedKey ? heldKeyed.has(r.keyedKey) : false) {
        outcomes.push(
          outcomeOf(r.row, "duplicate", rowProblem("onLetter", {}, "the letter already has this name")),
        );
        continue;
      }
      outcomes.push(importedOutcome(r.row, r.undatedFrom));
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
        skeleton: r.listed ? confusableSkeleton(r.listed.name) : null,
        keyed_match_key: r.listed ? null : (r.keyedKey ?? null),
        sealed_identity: r.sealedIdentity,
        sealed_contact: r.sealedContact,
        state: input.status,
        // An import is a coordinator's action: it counts at once.
        counted: countedFlag(input.status),
        source: "import" as const,
        listed_salt: r.listed ? salts.toString("base64url", SALT_BYTES * n, SALT_BYTES * (n + 1)) : null,
        undisclosed_commit:
          r.commitSalt && r.sealedIdentity ? commitment(r.commitSalt, utf8(r.sealedIdentity)) : null,
        created_at: at,
        // When an organisation signed is kept to the day, like everything a signer does, listed ones too:
        // a listed row's exact time would bracket an undisclosed row imported beside it.
        confirmed_at: r.signedAt === null ? at : startOfUtcDay(new Date(r.signedAt)),
        approved_at: input.status === "approved" ? at : null,
        updated_at: at,
      });
    }
    // Imported rows take ids below the sign form's random ones, so that they never continue after one, and
    // in no particular order: a spreadsheet is usually in the order people signed, and ids in file order
    // would place an undisclosed row between its listed neighbours within the day.
    shuffleInPlace(values);
    const firstId = await firstSequentialId(trx, "signatures", values.length);
    if (firstId !== undefined) for (const [i, v] of values.entries()) v.id = firstId + i;
    await insertRows(trx, "signatures", values);
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
