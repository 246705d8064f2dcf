import type { Kysely } from "kysely";
import type { Database } from "../store/schema.ts";

export type SealedCounts = {
  /** Undisclosed endorsements of the campaign's letters: their identity is sealed to the key. */
  undisclosed: number;
  /**
   * Endorsements other than the example's (source "example") with anything sealed (identity or contact):
   * a new key would leave these openable only with the old one's private half.
   */
  real: number;
};

export async function countSealedRecords(db: Kysely<Database>, campaignId: number): Promise<SealedCounts> {
  const row = await db
    .selectFrom("signatures")
    .innerJoin("letters", "letters.id", "signatures.letter_id")
    .where("letters.campaign_id", "=", campaignId)
    .select((eb) => [
      eb.fn
        .sum<number | string | null>(
          eb.case().when("signatures.visibility", "=", "undisclosed").then(1).else(0).end(),
        )
        .as("undisclosed"),
      eb.fn
        .sum<number | string | null>(
          eb
            .case()
            .when(
              eb.and([
                eb("signatures.source", "!=", "example"),
                eb.or([
                  eb("signatures.sealed_identity", "is not", null),
                  eb("signatures.sealed_contact", "is not", null),
                ]),
              ]),
            )
            .then(1)
            .else(0)
            .end(),
        )
        .as("real"),
    ])
    .executeTakeFirst();
  return { undisclosed: Number(row?.undisclosed ?? 0), real: Number(row?.real ?? 0) };
}
