import type { Kysely } from "kysely";
import type { SignatureState } from "../domain/signature-states.ts";
import { conditionMet, type ListingCondition } from "../domain/threshold-disclosure.ts";
import type { Database } from "../store/schema.ts";
import { type ConsoleLetterWithKey, consoleLetterHeading, letterWithKey } from "./console-letter-heading.ts";
import { isCounted } from "./counted-signatures.ts";

export type WaitingEndorsement = {
  id: number;
  state: SignatureState;
  condition: ListingCondition;
  met: boolean;
  /** Opened only with the coalition key, in the coordinator's browser or on their machine. */
  sealedIdentity: string | null;
};

/**
 * A letter's threshold endorsements still waiting to be listed (live and undisclosed, with a condition),
 * each with whether its condition is met now, and the number of listed endorsements they wait for. The
 * console's counts, its list to open in the browser and `undersigned disclose` all read this.
 */
export async function listWaitingListings(
  db: Kysely<Database>,
  letterId: number,
  now: Date,
): Promise<{ listed: number; endorsements: WaitingEndorsement[] }> {
  const listedRow = await db
    .selectFrom("signatures")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("letter_id", "=", letterId)
    .where("visibility", "=", "listed")
    .where(isCounted)
    .executeTakeFirstOrThrow();
  const listed = Number(listedRow.n);
  const rows = await db
    .selectFrom("signatures")
    .select(["id", "state", "disclose_threshold", "disclose_on", "sealed_identity"])
    .where("letter_id", "=", letterId)
    .where("visibility", "=", "undisclosed")
    .where("disclose_threshold", "is not", null)
    .where("state", "in", ["confirmed", "approved"])
    // Random ids: this order says nothing of when anyone signed.
    .orderBy("id")
    .execute();
  const endorsements = rows.map((row) => {
    const condition = { threshold: row.disclose_threshold!, discloseOn: row.disclose_on };
    return {
      id: row.id,
      state: row.state,
      condition,
      met: conditionMet(condition, listed, now),
      sealedIdentity: row.sealed_identity,
    };
  });
  return { listed, endorsements };
}

export type ListingConsole = {
  letter: ConsoleLetterWithKey;
  listed: number;
  endorsements: WaitingEndorsement[];
};

/** The console's page of a letter's threshold endorsements: the letter, its key, and those waiting. */
export async function getListingConsole(
  db: Kysely<Database>,
  letterId: number,
  now: Date,
): Promise<ListingConsole | undefined> {
  const letter = await consoleLetterHeading(db, letterId).select("letters.state").executeTakeFirst();
  if (!letter) return undefined;
  const waiting = await listWaitingListings(db, letterId, now);
  return {
    letter: letterWithKey(letter),
    ...waiting,
  };
}
