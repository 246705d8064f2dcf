import type { Kysely } from "kysely";
import type { SignatureState } from "../domain/signature-states.ts";
import type { Database } from "../store/schema.ts";

/** Endorsements whose updates address may be written to: confirmed and still standing. */
export const SUBSCRIBED_STATES: readonly SignatureState[] = ["confirmed", "approved"];

/** How many signatories of a letter an update mail would reach (before removing repeated addresses). */
export async function countUpdateSubscribers(db: Kysely<Database>, letterId: number): Promise<number> {
  const row = await db
    .selectFrom("signatures")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("letter_id", "=", letterId)
    .where("visibility", "=", "listed")
    .where("state", "in", SUBSCRIBED_STATES)
    .where("updates_email", "is not", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
