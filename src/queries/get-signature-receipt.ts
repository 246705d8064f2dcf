import type { Kysely } from "kysely";
import { receiptCode } from "../crypto/signature-tokens.ts";
import { sha256 } from "../crypto/tokens.ts";
import type { LetterState } from "../domain/letter-states.ts";
import { chooseTranslation } from "../domain/public-letters.ts";
import type { SignatureKind, SignatureState, Visibility } from "../domain/signature-states.ts";
import type { Database } from "../store/schema.ts";
import { loadTranslations } from "./translations.ts";

export type SignatureReceipt = {
  signatureId: number;
  state: SignatureState;
  visibility: Visibility;
  kind: SignatureKind;
  /** Listed endorsements only: an undisclosed one has no name the server could show. */
  displayName: string | null;
  displayNameAlt: string | null;
  receiptCode: string;
  createdAt: string;
  confirmedAt: string | null;
  letter: { slug: string; state: LetterState; title: string; versionNumber: number; contentHash: string };
};

type Lookup = { signatureId: number } | { manageToken: string };

/**
 * What a signer's receipt and manage pages show: the letter and version endorsed, the state, and for a
 * listed endorsement its public name. Nothing else is readable: identity and contact are sealed.
 */
export async function getSignatureReceipt(
  db: Kysely<Database>,
  lookup: Lookup & { slug: string; language: string },
): Promise<SignatureReceipt | undefined> {
  const row = await db
    .selectFrom("signatures")
    .innerJoin("letters", "letters.id", "signatures.letter_id")
    .innerJoin("letter_versions", "letter_versions.id", "signatures.version_id")
    .select([
      "signatures.id",
      "signatures.state",
      "signatures.visibility",
      "signatures.kind",
      "signatures.display_name",
      "signatures.display_name_alt",
      "signatures.leaf_salt",
      "signatures.created_at",
      "signatures.confirmed_at",
      "signatures.version_id",
      "letters.slug",
      "letters.state as letter_state",
      "letters.default_language",
      "letter_versions.number",
      "letter_versions.content_hash",
    ])
    .where("letters.slug", "=", lookup.slug)
    .$if("signatureId" in lookup, (q) =>
      q.where("signatures.id", "=", (lookup as { signatureId: number }).signatureId),
    )
    .$if("manageToken" in lookup, (q) =>
      q.where("signatures.manage_token_hash", "=", sha256((lookup as { manageToken: string }).manageToken)),
    )
    .executeTakeFirst();
  if (!row) return undefined;
  const translations = (await loadTranslations(db, [row.version_id])).get(row.version_id) ?? [];
  const title = chooseTranslation(translations, lookup.language, row.default_language)?.title ?? row.slug;
  return {
    signatureId: row.id,
    state: row.state,
    visibility: row.visibility,
    kind: row.kind,
    displayName: row.visibility === "listed" ? row.display_name : null,
    displayNameAlt: row.visibility === "listed" ? row.display_name_alt : null,
    receiptCode: receiptCode(row.leaf_salt),
    createdAt: row.created_at,
    confirmedAt: row.confirmed_at,
    letter: {
      slug: row.slug,
      state: row.letter_state,
      title,
      versionNumber: row.number,
      contentHash: row.content_hash,
    },
  };
}
