import type { Kysely } from "kysely";
import type { Database } from "../store/schema.ts";
import { isCounted } from "./counted-signatures.ts";
import {
  ENDORSEMENT_RECORD_COLUMNS,
  type EndorsementRecord,
  endorsementRecord,
} from "./endorsement-records.ts";

export type ExportRow = EndorsementRecord;

/**
 * The counted endorsements of a letter, oldest first, for export. `listedOnly` is the public list the
 * console can hand out; the full list (undisclosed rows as sealed boxes, to be opened by whoever holds the
 * key, on their own machine) is for the CLI.
 */
export async function listSignaturesForExport(
  db: Kysely<Database>,
  letterId: number,
  options: { listedOnly: boolean },
): Promise<ExportRow[]> {
  let query = db
    .selectFrom("signatures")
    .select(ENDORSEMENT_RECORD_COLUMNS)
    .where("letter_id", "=", letterId)
    .where(isCounted);
  if (options.listedOnly) query = query.where("visibility", "=", "listed");
  const rows = await query.orderBy("confirmed_at").orderBy("id").execute();
  return rows.map((r) => ({
    ...endorsementRecord(r),
    ...(options.listedOnly ? { sealedIdentity: null, sealedContact: null } : {}),
  }));
}
