import { randomBytes } from "node:crypto";
import { seal } from "../crypto/seal.ts";
import { sha256 } from "../crypto/tokens.ts";
import { CsvSyntaxError, parseCsv } from "../domain/csv-reader.ts";
import type { EndorsementColumn } from "../domain/endorsement-file.ts";
import { checkRow, EndorsementFileError, type ImportRow, mapColumns } from "../domain/endorsement-import.ts";
import { matchKey } from "../domain/names.ts";
import { dateOrderOf } from "../domain/signed-at.ts";
import { recordAudit } from "../store/audit.ts";
import { letterChanged } from "../store/letter-changes.ts";
import type { SignatureState } from "../store/schema.ts";
import { type Actor, auditActor, authorise } from "./actor.ts";
import type { CommandDeps } from "./deps.ts";

/*
 * Importing an endorsement file (DESIGN.md, "Endorsement files") into a letter: the rows coordinators
 * collected in online forms and spreadsheets. What is stored follows sign-letter.ts exactly:
 *
 * - listed rows: display name, match key and public fields in the clear, contact and email sealed;
 * - undisclosed rows: identity (name, name_alt, website, category, country) and contact sealed to the
 *   campaign's public key, here, on the machine running the import, before the transaction opens. No
 *   display name, match key or any other value derived from the identity is stored.
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

export type ImportStatus = "confirmed" | "approved";

export type RowOutcome = { row: number; outcome: "imported" | "duplicate" | "rejected"; reason?: string };

export type ImportReport = {
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
  ) {
    super(message);
  }
}

/** States in which an endorsement holds its name: a new one with the same match key would duplicate it. */
const HOLDING: readonly SignatureState[] = ["unconfirmed", "confirmed", "approved"];

/** Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits at ~20 columns a row. */
const INSERT_BATCH = 500;

const IMPORT_ACTION = "signature.import";

export async function importSignatures(
  deps: Pick<CommandDeps, "store">,
  input: {
    actor: Actor;
    letterSlug: string;
    text: string;
    status: ImportStatus;
    map: Partial<Record<EndorsementColumn, string>>;
  },
  now: Date,
): Promise<ImportReport> {
  authorise(input.actor, "signature.edit");
  const { db } = deps.store;
  const letter = await db
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
    ])
    .where("letters.slug", "=", input.letterSlug)
    .executeTakeFirst();
  if (!letter) throw new ImportRefused(`there is no letter "${input.letterSlug}"`, true);
  if (letter.current_version_id === null) throw new ImportRefused("the letter has no text yet", false);
  if (!letter.public_key)
    throw new ImportRefused("the letter's campaign has no coalition key yet (undersigned keygen)", false);
  // The example campaign's private key sits on the server: nothing real may be sealed to it.
  if (letter.demo_key)
    throw new ImportRefused("the example campaign's key must not seal real endorsements", false);
  const publicKey = letter.public_key;
  const versionId = letter.current_version_id;

  let records: string[][];
  try {
    records = parseCsv(input.text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new ImportRefused(error.message, true);
    throw error;
  }
  const [header, ...body] = records;
  if (!header) throw new ImportRefused("the file is empty", true);
  let mapped: ReturnType<typeof mapColumns>;
  try {
    mapped = mapColumns(header, input.map);
  } catch (error) {
    if (error instanceof EndorsementFileError) throw new ImportRefused(error.message, true);
    throw error;
  }
  const { columns } = mapped;
  const signedAtColumn = columns.signed_at;
  const order = dateOrderOf(signedAtColumn === undefined ? [] : body.map((r) => r[signedAtColumn] ?? ""));
  const importLetter = {
    signers: letter.signers,
    allowUndisclosed: letter.allow_undisclosed === 1,
    categories: JSON.parse(letter.categories) as string[],
  };

  const outcomes: RowOutcome[] = [];
  const candidates: { row: number; data: ImportRow; key: string }[] = [];
  const firstRowOf = new Map<string, number>();
  body.forEach((record, i) => {
    // Spreadsheet numbering: the header is row 1.
    const row = i + 2;
    // Blank lines (trailing ones especially) are not endorsements and not worth a report line.
    if (record.every((cell) => cell.trim() === "")) return;
    const check = checkRow(record, columns, importLetter, order, now);
    if (!check.ok) {
      outcomes.push({ row, outcome: "rejected", reason: check.reason });
      return;
    }
    const key = matchKey(check.row.name);
    const first = firstRowOf.get(key);
    if (first !== undefined) {
      outcomes.push({ row, outcome: "duplicate", reason: `repeats row ${first}` });
      return;
    }
    firstRowOf.set(key, row);
    candidates.push({ row, data: check.row, key });
  });

  // Sealing is the CPU-heavy part; done before the transaction so it stays short.
  const prepared: { identity: string | null; contact: string | null }[] = [];
  for (const c of candidates) prepared.push(await sealRow(c.data, publicKey));
  const fileDigest = sha256(input.text);
  const at = now.toISOString();

  const report = await db.transaction().execute(async (trx) => {
    const earlier = await trx
      .selectFrom("audit_entries")
      .select("at")
      .where("action", "=", IMPORT_ACTION)
      .where("letter_id", "=", letter.id)
      .where("detail", "like", `%"file_sha256":"${fileDigest}"%`)
      .orderBy("at")
      .limit(1)
      .executeTakeFirst();
    const held = new Set<string>();
    if (!earlier) {
      const listedKeys = candidates.filter((c) => c.data.visibility === "listed").map((c) => c.key);
      // Chunked so a 100,000-row file does not become one query with 100,000 parameters.
      for (let i = 0; i < listedKeys.length; i += INSERT_BATCH) {
        const rows = await trx
          .selectFrom("signatures")
          .select("match_key")
          .where("letter_id", "=", letter.id)
          .where("state", "in", HOLDING)
          .where("match_key", "in", listedKeys.slice(i, i + INSERT_BATCH))
          .execute();
        for (const r of rows) held.add(r.match_key!);
      }
    }
    const values = [];
    for (const [i, c] of candidates.entries()) {
      if (earlier) {
        outcomes.push({
          row: c.row,
          outcome: "duplicate",
          reason: `this file was imported on ${earlier.at}`,
        });
        continue;
      }
      const listed = c.data.visibility === "listed";
      if (listed && held.has(c.key)) {
        outcomes.push({ row: c.row, outcome: "duplicate", reason: "the letter already has this name" });
        continue;
      }
      outcomes.push({ row: c.row, outcome: "imported" });
      const signedAt = c.data.signedAt ?? at;
      values.push({
        letter_id: letter.id,
        version_id: versionId,
        kind: c.data.kind,
        visibility: c.data.visibility,
        category: listed ? c.data.category : null,
        country: listed ? c.data.country : null,
        display_name: listed ? c.data.name : null,
        display_name_alt: listed ? c.data.nameAlt : null,
        website: listed ? c.data.website : null,
        match_key: listed ? c.key : null,
        sealed_identity: prepared[i]!.identity,
        sealed_contact: prepared[i]!.contact,
        state: input.status,
        source: "import" as const,
        leaf_salt: randomBytes(32).toString("base64url"),
        created_at: at,
        confirmed_at: signedAt,
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
    outcomes.sort((a, b) => a.row - b.row);
    const count = (o: RowOutcome["outcome"]) => outcomes.filter((r) => r.outcome === o).length;
    const result: ImportReport = {
      rows: outcomes,
      imported: values.length,
      duplicates: count("duplicate"),
      rejected: count("rejected"),
      ignoredColumns: mapped.ignored,
    };
    await recordAudit(
      trx,
      {
        actor: auditActor(input.actor),
        action: IMPORT_ACTION,
        subjectType: "letter",
        subjectId: letter.id,
        campaignId: letter.campaign_id,
        letterId: letter.id,
        // Counts and the file digest only: never a name, even of a listed row.
        detail: {
          status: input.status,
          imported: result.imported,
          duplicates: result.duplicates,
          rejected: result.rejected,
          file_sha256: fileDigest,
        },
      },
      now,
    );
    return result;
  });
  if (report.imported > 0) letterChanged(letter.id);
  return report;
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
