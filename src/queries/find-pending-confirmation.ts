import type { Kysely } from "kysely";
import { sha256 } from "../crypto/tokens.ts";
import type { Database } from "../store/schema.ts";

/**
 * The endorsement a confirmation link belongs to, if it still waits for that link and the link has not
 * expired; undefined for anything else (unknown, expired, already confirmed), which the confirm command
 * itself answers. Opening the link only looks: confirming takes the button on the page (a POST), because
 * mail scanners and link previews open links too, and must not endorse a letter for the person.
 */
export async function findPendingConfirmation(
  db: Kysely<Database>,
  input: { slug: string; token: string; now: Date },
): Promise<{ signatureId: number } | undefined> {
  const row = await db
    .selectFrom("signatures")
    .innerJoin("letters", "letters.id", "signatures.letter_id")
    .select(["signatures.id"])
    .where("signatures.confirm_token_hash", "=", sha256(input.token))
    .where("letters.slug", "=", input.slug)
    .where("signatures.state", "=", "unconfirmed")
    .where("signatures.confirm_expires_at", ">", input.now.toISOString())
    .executeTakeFirst();
  return row && { signatureId: row.id };
}
