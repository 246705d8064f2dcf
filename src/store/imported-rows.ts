import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { ImportLetter, RowOutcome } from "../domain/endorsement-import.ts";
import { outcomeOf, rowProblem } from "../domain/endorsement-import.ts";
import type { SignatureKind, SignatureState, Visibility } from "../domain/signature-states.ts";
import { type Actor, auditActor, authorise } from "../policies/actor.ts";
import { recordAudit } from "./audit.ts";
import type { CommandDeps } from "./deps.ts";
import { letterChanged } from "./letter-changes.ts";
import type { Database } from "./schema.ts";

/*
 * The database half of an import, shared by the two ways rows arrive: a whole file read and sealed where
 * the import runs (import-signatures.ts: the CLI, and the console for files without undisclosed rows), and
 * rows prepared and sealed in the coordinator's browser (import-sealed-signatures.ts). By here every row is
 * checked and every undisclosed identity and every contact is a sealed box. Duplicates and re-imports are
 * recognised as import-signatures.ts explains: listed names by match key, a file seen before by its digest.
 */

export type ImportStatus = "confirmed" | "approved";

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
    /** For the console's translated message: import.refused.<code>. */
    readonly code: "noLetter" | "noText" | "noKey" | "demoKey" | "file" = "file",
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

/** Stores the rows in one transaction (all or nothing) with the import's audit entry, and reports. */
export async function storeImport(
  deps: Pick<CommandDeps, "store">,
  input: {
    actor: Actor;
    target: ImportTarget;
    status: ImportStatus;
    /** Where the rows come from, in the coordinator's words ("partner network form, March"). */
    note?: string | undefined;
    fileDigest: string;
    /** Rows already refused or found repeated before storing. */
    outcomes: RowOutcome[];
    rows: StorableRow[];
    ignoredColumns: string[];
  },
  now: Date,
): Promise<ImportReport> {
  const { target } = input;
  const outcomes = [...input.outcomes];
  const at = now.toISOString();
  const report = await deps.store.db.transaction().execute(async (trx) => {
    const earlier = await trx
      .selectFrom("audit_entries")
      .select("at")
      .where("action", "=", IMPORT_ACTION)
      .where("letter_id", "=", target.id)
      .where("detail", "like", `%"file_sha256":"${input.fileDigest}"%`)
      .orderBy("at")
      .limit(1)
      .executeTakeFirst();
    const held = earlier
      ? new Set<string>()
      : await heldMatchKeys(
          trx,
          target.id,
          input.rows.flatMap((r) => (r.listed ? [r.listed.key] : [])),
        );
    const values = [];
    for (const r of input.rows) {
      if (earlier) {
        outcomes.push(
          outcomeOf(
            r.row,
            "duplicate",
            rowProblem("fileImported", { at: earlier.at }, `this file was imported on ${earlier.at}`),
          ),
        );
        continue;
      }
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
    outcomes.sort((a, b) => a.row - b.row);
    const count = (o: RowOutcome["outcome"]) => outcomes.filter((r) => r.outcome === o).length;
    const result: ImportReport = {
      rows: outcomes,
      imported: values.length,
      duplicates: count("duplicate"),
      rejected: count("rejected"),
      ignoredColumns: input.ignoredColumns,
    };
    await recordAudit(
      trx,
      {
        actor: auditActor(input.actor),
        action: IMPORT_ACTION,
        subjectType: "letter",
        subjectId: target.id,
        campaignId: target.campaignId,
        letterId: target.id,
        // Counts, the file digest and the coordinator's note on the source: never a name, even of a listed row.
        detail: {
          status: input.status,
          imported: result.imported,
          duplicates: result.duplicates,
          rejected: result.rejected,
          file_sha256: input.fileDigest,
          ...(input.note ? { source: input.note } : {}),
        },
      },
      now,
    );
    return result;
  });
  if (report.imported > 0) letterChanged(target.id);
  return report;
}
