import type { Kysely } from "kysely";
import { sha256 } from "../crypto/tokens.ts";
import type { Database } from "./schema.ts";

/*
 * How the commands that change one signature find it. Every such change needs the same few facts: the
 * row's state and visibility (for the state machine), and its letter and campaign (for the permission check
 * and the audit or signer-event entry). Callers add the columns their change needs with `.select` and
 * narrow the query to their row.
 */

/** The facts an audit or signer-event entry about a signature names. */
export type SignatureOfLetter = { id: number; letter_id: number; campaign_id: number };

/** Signatures joined to their letters, with the columns every change needs. */
export function signaturesWithLetter(db: Kysely<Database>) {
  return db
    .selectFrom("signatures")
    .innerJoin("letters", "letters.id", "signatures.letter_id")
    .select([
      "signatures.id",
      "signatures.state",
      "signatures.visibility",
      "letters.id as letter_id",
      "letters.campaign_id",
    ]);
}

/**
 * The signature a signer's private link names: its token's hash in `column`, on the letter at `slug` (a
 * link never opens an endorsement of another letter).
 */
export function signatureBySignerLink(
  db: Kysely<Database>,
  column: "signatures.manage_token_hash" | "signatures.confirm_token_hash",
  link: { slug: string; token: string },
) {
  return signaturesWithLetter(db)
    .where(column, "=", sha256(link.token))
    .where("letters.slug", "=", link.slug);
}

/**
 * The signature a coordinator's page names by id; with `letterId`, only when it belongs to that letter (the
 * letter in the page's address), so an id taken from another letter finds nothing.
 */
export function signatureById(db: Kysely<Database>, signatureId: number, letterId?: number) {
  const query = signaturesWithLetter(db).where("signatures.id", "=", signatureId);
  return letterId === undefined ? query : query.where("signatures.letter_id", "=", letterId);
}
