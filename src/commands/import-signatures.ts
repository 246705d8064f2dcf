import { createHash } from "node:crypto";
import { seal } from "../crypto/seal.ts";
import { CsvSyntaxError, parseCsv } from "../domain/csv-reader.ts";
import type { EndorsementColumn } from "../domain/endorsement-file.ts";
import type { ReadEndorsementFile } from "../domain/endorsement-file-reader.ts";
import {
  EndorsementFileError,
  type ImportRow,
  mapColumns,
  pickColumns,
  planRows,
} from "../domain/endorsement-import.ts";
import type { Actor } from "../policies/actor.ts";
import type { CommandDeps } from "../store/deps.ts";
import {
  ImportRefused,
  type ImportReport,
  type ImportStatus,
  importTarget,
  type StorableRow,
  storeImport,
} from "../store/imported-rows.ts";

export type { RowOutcome } from "../domain/endorsement-import.ts";
export { ImportRefused, type ImportReport, type ImportStatus };

/*
 * Importing an endorsement file (DESIGN.md, "Endorsement files") into a letter: the rows coordinators
 * collected in online forms and spreadsheets. What is stored follows sign-letter.ts exactly:
 *
 * - listed rows: display name, match key and public fields in the clear, contact and email sealed;
 * - undisclosed rows: identity (name, name_alt, website, category, country) and contact sealed to the
 *   campaign's public key, here, on the machine running the import, before the transaction opens. No
 *   display name, match key or any other value derived from the identity is stored.
 *
 * This runs where the file is: the CLI, on the coordinator's machine; and the console's server, only for
 * files without undisclosed rows (the console refuses the others before keeping anything, and its page
 * seals them in the browser instead: import-sealed-signatures.ts).
 *
 * Duplicates are never imported: a listed name whose match key an endorsement of the letter already holds
 * (unless withdrawn, rejected or merged), or a name repeated within the file (compared in memory only, so
 * it works for undisclosed rows too). Undisclosed rows have no stored key to compare with by design, so
 * importing the same file again is recognised by the file's SHA-256, kept in the import's audit entry: a
 * digest of the whole file, which names nobody and cannot be enumerated from a list of organisations. A file
 * seen before imports nothing. A file that was edited (one row added) has a new digest: its undisclosed rows
 * come in again and are merged in the console, where the coordinator compares opened records.
 *
 * The whole file is one transaction: it is imported entirely or not at all.
 */

/** The file: CSV text (the CLI's historical input), or a file read by readEndorsementFile (CSV or XLSX). */
type FileInput = { text: string } | { file: Pick<ReadEndorsementFile, "records" | "digestInput"> };

export async function importSignatures(
  deps: Pick<CommandDeps, "store">,
  input: {
    actor: Actor;
    letterSlug: string;
    status: ImportStatus;
    /** Canonical column → header (the CLI's --map); unmapped columns are found by their canonical header. */
    map?: Partial<Record<EndorsementColumn, string>>;
    /** Canonical column → position (the console's mapping form); replaces `map` when given. */
    picked?: Partial<Record<EndorsementColumn, number>>;
    note?: string | undefined;
  } & FileInput,
  now: Date,
): Promise<ImportReport> {
  const target = await importTarget(deps.store.db, input.actor, { slug: input.letterSlug });

  let records: string[][];
  let fileDigest: string;
  if ("text" in input) {
    try {
      records = parseCsv(input.text);
    } catch (error) {
      if (error instanceof CsvSyntaxError) throw new ImportRefused(error.message, true);
      throw error;
    }
    fileDigest = createHash("sha256").update(input.text).digest("hex");
  } else {
    records = input.file.records;
    fileDigest = createHash("sha256").update(input.file.digestInput).digest("hex");
  }
  const [header, ...body] = records;
  if (!header) throw new ImportRefused("the file is empty", true);
  let mapped: ReturnType<typeof mapColumns>;
  try {
    mapped = input.picked ? pickColumns(header, input.picked) : mapColumns(header, input.map ?? {});
  } catch (error) {
    if (error instanceof EndorsementFileError) throw new ImportRefused(error.message, true);
    throw error;
  }
  const { outcomes, candidates } = planRows(body, mapped.columns, target.letter, now);

  // Sealing is the CPU-heavy part; done before the transaction so it stays short.
  const rows: StorableRow[] = [];
  for (const c of candidates) {
    const sealed = await sealRow(c.data, target.publicKey);
    const listed = c.data.visibility === "listed";
    rows.push({
      row: c.row,
      kind: c.data.kind,
      visibility: c.data.visibility,
      listed: listed
        ? {
            name: c.data.name,
            nameAlt: c.data.nameAlt,
            category: c.data.category,
            country: c.data.country,
            website: c.data.website,
            key: c.key,
          }
        : null,
      sealedIdentity: sealed.identity,
      sealedContact: sealed.contact,
      signedAt: c.data.signedAt,
    });
  }
  return storeImport(
    deps,
    {
      actor: input.actor,
      target,
      status: input.status,
      note: input.note,
      fileDigest,
      outcomes,
      rows,
      ignoredColumns: mapped.ignored,
    },
    now,
  );
}

/** The sealed boxes of one row, in the payload shapes the console and `export signatures` open. */
async function sealRow(
  row: ImportRow,
  publicKey: string,
): Promise<{ identity: string | null; contact: string | null }> {
  const identity =
    row.visibility === "undisclosed"
      ? await seal(
          JSON.stringify({
            v: 1,
            kind: row.kind,
            name: row.name,
            name_alt: row.nameAlt ?? undefined,
            website: row.website ?? undefined,
            category: row.category ?? undefined,
            country: row.country ?? undefined,
          }),
          publicKey,
        )
      : null;
  const hasContact = row.contact !== null || row.email !== null;
  const contact = hasContact
    ? await seal(
        JSON.stringify({ v: 1, contact_person: row.contact ?? undefined, email: row.email ?? undefined }),
        publicKey,
      )
    : null;
  return { identity, contact };
}
