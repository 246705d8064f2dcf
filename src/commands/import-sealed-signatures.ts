import { z } from "zod";
import { ENDORSEMENT_COLUMNS, type EndorsementColumn } from "../domain/endorsement-file.ts";
import { outcomeOf, type RowOutcome } from "../domain/endorsement-import.ts";
import {
  type ColumnIndex,
  checkRow,
  type RowProblemCode,
  rowProblem,
} from "../domain/endorsement-row-check.ts";
import { matchKey } from "../domain/names.ts";
import { kindsAccepted } from "../domain/sign-on-rules.ts";
import { AMBIGUOUS, parseSignedAt } from "../domain/signed-at.ts";
import type { Actor } from "../policies/actor.ts";
import type { CommandDeps } from "../store/deps.ts";
import type { ImportProgress, StorableRow } from "../store/import-batch.ts";
import { ImportRefused, type ImportStatus, importTarget } from "../store/import-target.ts";
import { type ImportReport, type IncomingRow, runImport } from "../store/imported-rows.ts";

/*
 * Importing rows that the console's import page prepared in the coordinator's browser (src/web/browser/
 * import-file.ts): the browser read the file, applied the coordinator's column mapping, checked each row,
 * and sealed every undisclosed row's identity and every row's contact to the campaign's public key before
 * anything left it. So the server receives listed rows' public fields in the clear, sealed boxes for the
 * rest, and nothing it could read about an undisclosed endorsement but its kind and when it was given.
 *
 * The server trusts none of it blindly: listed rows are checked again with the same checkRow as a file
 * import (the values arrive as canonical cells), names repeated among them are refused, and undisclosed rows
 * are checked for what can be checked without opening them (kind, the letter taking undisclosed
 * endorsements, the time, the boxes' form). The file's digest, computed in the browser the way
 * readEndorsementFile defines it, makes importing the same file again a no-op, as with the CLI. When the
 * coordinator opened the coalition key on the page, each undisclosed row also carries its keyed match key
 * (crypto/keyed-match-key.ts), by which an updated export's undisclosed rows already on the letter are
 * recognised; the server can only compare such keys, never compute one.
 */

const SEALED = z
  .string()
  .max(16_384)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/);
const cell = z.string().max(2_000).default("");
/** A keyed match key, computed in the browser with the coalition key open (crypto/keyed-match-key.ts). */
const KEYED = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .optional();
/** The file's date, when it was ambiguous and the row comes without one. */
const undated = z.string().max(200).optional();

const listedRow = z.object({
  row: z.number().int().min(2),
  visibility: z.literal("listed"),
  kind: cell,
  name: cell,
  name_alt: cell,
  category: cell,
  country: cell,
  website: cell,
  signed_at: cell,
  undated,
  contact: SEALED.nullable().default(null),
});

const undisclosedRow = z.object({
  row: z.number().int().min(2),
  visibility: z.literal("undisclosed"),
  kind: z.enum(["organisation", "individual"]),
  signed_at: cell,
  undated,
  match: KEYED,
  identity: SEALED,
  /** The log commitment's salt, which the browser also put inside the identity it sealed. */
  salt: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/)
    .transform((v) => new Uint8Array(Buffer.from(v, "base64"))),
  contact: SEALED.nullable().default(null),
});

const PROBLEM_CODES = [
  "nameEmpty",
  "nameInvalid",
  "nameTooLong",
  "nameAltTooLong",
  "kind",
  "kindNotTaken",
  "visibility",
  "undisclosedNotTaken",
  "category",
  "categoryTooLong",
  "country",
  "website",
  "contactTooLong",
  "email",
  "signedAt",
  "repeats",
] as const satisfies readonly RowProblemCode[];

export const preparedImportSchema = z.object({
  v: z.literal(1),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  ignored: z.array(z.string().max(500)).max(500).default([]),
  // Rows the browser did not send (refused, or repeating an earlier row): numbers and reasons only.
  outcomes: z
    .array(
      z.object({
        row: z.number().int().min(2),
        outcome: z.enum(["rejected", "duplicate"]),
        code: z.enum(PROBLEM_CODES),
        params: z.record(z.string(), z.union([z.string().max(2_000), z.number()])).default({}),
      }),
    )
    .max(200_000),
  rows: z.array(z.discriminatedUnion("visibility", [listedRow, undisclosedRow])).max(200_000),
});

export type PreparedImport = z.infer<typeof preparedImportSchema>;

/** Positions of the canonical columns in the cells rebuilt from a listed row: their own order. */
const CANONICAL: ColumnIndex = Object.fromEntries(ENDORSEMENT_COLUMNS.map((c, i) => [c, i]));

export async function importSealedSignatures(
  deps: Pick<CommandDeps, "store">,
  input: {
    actor: Actor;
    letterId: number;
    status: ImportStatus;
    note?: string | undefined;
    /** The browser's payload, unparsed: it is validated here. */
    prepared: unknown;
    onProgress?: (progress: ImportProgress) => void;
    /** Each batch's row outcomes as it commits; without it they are in the report. */
    onRows?: (rows: RowOutcome[]) => void;
  },
  now: Date,
): Promise<ImportReport> {
  const target = await importTarget(deps.store.db, input.actor, { id: input.letterId });
  const parsed = preparedImportSchema.safeParse(input.prepared);
  if (!parsed.success) throw new ImportRefused("the prepared rows are malformed", true);
  const prepared = parsed.data;

  const kinds = kindsAccepted(target.letter.signers);
  const firstRowOf = new Map<string, number>();

  /** One prepared row, checked as far as the server can: a storable row, or why it is not stored. */
  function check(r: PreparedImport["rows"][number]): RowOutcome | StorableRow {
    if (r.visibility === "listed") {
      const values: Record<EndorsementColumn, string> = {
        name: r.name,
        name_alt: r.name_alt,
        kind: r.kind,
        category: r.category,
        country: r.country,
        website: r.website,
        contact: "",
        email: "",
        visibility: "listed",
        signed_at: r.signed_at,
      };
      const checked = checkRow(
        ENDORSEMENT_COLUMNS.map((c) => values[c]),
        CANONICAL,
        target.letter,
        // The browser sends ISO times, read alike in every order.
        { dates: "day-first", answers: {} },
        now,
      );
      if (!checked.ok) return outcomeOf(r.row, "rejected", checked);
      const key = matchKey(checked.row.name);
      const first = firstRowOf.get(key);
      if (first !== undefined)
        return outcomeOf(r.row, "duplicate", rowProblem("repeats", { row: first }, `repeats row ${first}`));
      firstRowOf.set(key, r.row);
      const data = checked.row;
      return {
        row: r.row,
        kind: data.kind,
        visibility: "listed",
        listed: {
          name: data.name,
          nameAlt: data.nameAlt,
          category: data.category,
          country: data.country,
          website: data.website,
          key,
        },
        sealedIdentity: null,
        sealedContact: r.contact,
        commitSalt: null,
        signedAt: data.signedAt,
        undatedFrom: r.undated,
      };
    }
    if (!target.letter.allowUndisclosed)
      return outcomeOf(
        r.row,
        "rejected",
        rowProblem("undisclosedNotTaken", {}, "this letter does not take undisclosed endorsements"),
      );
    if (!kinds.includes(r.kind))
      return outcomeOf(
        r.row,
        "rejected",
        rowProblem("kindNotTaken", { kind: r.kind }, `this letter does not take ${r.kind} endorsements`),
      );
    const read = r.signed_at === "" ? null : parseSignedAt(r.signed_at, "day-first", now);
    const signedAt = read === AMBIGUOUS ? undefined : read;
    if (signedAt === undefined)
      return outcomeOf(
        r.row,
        "rejected",
        rowProblem("signedAt", { value: r.signed_at }, `signed_at "${r.signed_at}" is not a date and time`),
      );
    return {
      row: r.row,
      kind: r.kind,
      visibility: "undisclosed",
      listed: null,
      sealedIdentity: r.identity,
      sealedContact: r.contact,
      commitSalt: r.salt,
      signedAt,
      keyedKey: r.match ?? null,
      undatedFrom: r.undated,
    };
  }

  // File order, so that batches follow the file and a resumed import knows which rows are in.
  const settled = [...prepared.outcomes].sort((a, b) => a.row - b.row);
  const sent = [...prepared.rows].sort((a, b) => a.row - b.row);
  function* rows(): Generator<IncomingRow<StorableRow>> {
    let s = 0;
    for (const r of sent) {
      for (; s < settled.length && settled[s]!.row < r.row; s++) yield outcomeRow(settled[s]!);
      const checked = check(r);
      yield "outcome" in checked ? { row: r.row, outcome: checked } : { row: r.row, candidate: checked };
    }
    for (; s < settled.length; s++) yield outcomeRow(settled[s]!);
  }

  return runImport(
    deps,
    {
      actor: input.actor,
      target,
      status: input.status,
      note: input.note,
      fileDigest: prepared.digest,
      ignoredColumns: prepared.ignored,
      rows: rows(),
      // Sealed in the coordinator's browser already.
      seal: async (candidates) => candidates,
      onProgress: input.onProgress,
      onRows: input.onRows,
    },
    now,
  );
}

function outcomeRow(o: PreparedImport["outcomes"][number]): IncomingRow<StorableRow> {
  return { row: o.row, outcome: { row: o.row, outcome: o.outcome, code: o.code, params: o.params } };
}
