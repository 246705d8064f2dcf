import type { Kysely } from "kysely";
import { COUNTED_STATE } from "../domain/counts.ts";
import type { SignatureKind, Visibility } from "../domain/signature-states.ts";
import type { Database } from "../store/schema.ts";

export type ExportRow = {
  id: number;
  kind: SignatureKind;
  visibility: Visibility;
  displayName: string | null;
  displayNameAlt: string | null;
  category: string | null;
  country: string | null;
  website: string | null;
  sealedIdentity: string | null;
  sealedContact: string | null;
  confirmedAt: string | null;
};

/**
 * The counted endorsements of a letter, oldest first, for export. `listedOnly` is the public list the
 * console can hand out; the full list (undisclosed rows as sealed boxes, to be opened by whoever holds the
 * key, on their own machine) is for the CLI.
 */
export async function listEndorsementsForExport(
  db: Kysely<Database>,
  letterId: number,
  options: { listedOnly: boolean },
): Promise<ExportRow[]> {
  let query = db
    .selectFrom("signatures")
    .select([
      "id",
      "kind",
      "visibility",
      "display_name",
      "display_name_alt",
      "category",
      "country",
      "website",
      "sealed_identity",
      "sealed_contact",
      "confirmed_at",
    ])
    .where("letter_id", "=", letterId)
    .where("state", "=", COUNTED_STATE);
  if (options.listedOnly) query = query.where("visibility", "=", "listed");
  const rows = await query.orderBy("confirmed_at").orderBy("id").execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    visibility: r.visibility,
    displayName: r.display_name,
    displayNameAlt: r.display_name_alt,
    category: r.category,
    country: r.country,
    website: r.website,
    sealedIdentity: options.listedOnly ? null : r.sealed_identity,
    sealedContact: options.listedOnly ? null : r.sealed_contact,
    confirmedAt: r.confirmed_at,
  }));
}
