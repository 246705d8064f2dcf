import type { Kysely } from "kysely";
import type { Database } from "../store/schema.ts";

/**
 * The letter a coalition key command names, checked against the key it was given: the letter's row, or a
 * one-line refusal for the operator (no such letter, or a key that is not its campaign's). Commands that
 * open sealed records refuse a wrong key before reading any, rather than failing on each box.
 */
export async function letterOfKey(
  db: Kysely<Database>,
  letterSlug: string,
  publicKey: string,
): Promise<{ id: number; log_name: string | null } | string> {
  const letter = await db
    .selectFrom("letters")
    .innerJoin("campaigns", "campaigns.id", "letters.campaign_id")
    .select(["letters.id", "letters.log_name", "campaigns.public_key"])
    .where("letters.slug", "=", letterSlug)
    .executeTakeFirst();
  if (!letter) return `there is no letter "${letterSlug}"`;
  if (letter.public_key !== publicKey) return "this key file is not the key of the letter's campaign";
  return { id: letter.id, log_name: letter.log_name };
}
