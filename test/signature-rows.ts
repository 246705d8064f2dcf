import type { Kysely } from "kysely";
import type { Database } from "../src/store/schema.ts";

/** Reading back what a test's signer stored, to check the row itself. */

/** The whole signature row of a letter that holds one (the first, by the database's order, if it holds more). */
export function signatureOf(db: Kysely<Database>, letterId: number) {
  return db.selectFrom("signatures").selectAll().where("letter_id", "=", letterId).executeTakeFirstOrThrow();
}
