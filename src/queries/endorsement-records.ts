import type { Selectable } from "kysely";
import type { SignatureKind, Visibility } from "../domain/signature-states.ts";
import type { SignaturesTable } from "../store/schema/signatures.ts";

/*
 * An endorsement as the coordinators' lists show it (the review queue, the export): its public fields and
 * its sealed boxes, read from the same columns so the two lists cannot come to differ on what a row says.
 */

export type EndorsementRecord = {
  id: number;
  kind: SignatureKind;
  visibility: Visibility;
  /** Public fields: listed endorsements only (null on undisclosed ones, whose facts are sealed). */
  displayName: string | null;
  displayNameAlt: string | null;
  category: string | null;
  country: string | null;
  website: string | null;
  /** Sealed boxes opened with the coalition key by whoever holds it; the server cannot read them. */
  sealedIdentity: string | null;
  sealedContact: string | null;
  confirmedAt: string | null;
};

/** The columns an EndorsementRecord is read from. */
export const ENDORSEMENT_RECORD_COLUMNS = [
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
] as const;

export function endorsementRecord(
  row: Pick<Selectable<SignaturesTable>, (typeof ENDORSEMENT_RECORD_COLUMNS)[number]>,
): EndorsementRecord {
  return {
    id: row.id,
    kind: row.kind,
    visibility: row.visibility,
    displayName: row.display_name,
    displayNameAlt: row.display_name_alt,
    category: row.category,
    country: row.country,
    website: row.website,
    sealedIdentity: row.sealed_identity,
    sealedContact: row.sealed_contact,
    confirmedAt: row.confirmed_at,
  };
}
