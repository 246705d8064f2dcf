import type { Kysely } from "kysely";
import type { Database } from "../src/store/schema.ts";

/**
 * A letter mailed to a recipient, as the outbox records it at `at`: sent (delivered then) or bounced (never
 * delivered). For tests of what the public tracker and the API show of deliveries.
 */
export function insertEmailDelivery(
  db: Kysely<Database>,
  delivery: { letterId: number; recipientId: number; state: "sent" | "bounced"; at: string },
) {
  return db
    .insertInto("deliveries")
    .values({
      letter_id: delivery.letterId,
      recipient_id: delivery.recipientId,
      method: "email",
      state: delivery.state,
      delivered_at: delivery.state === "sent" ? delivery.at : null,
      created_at: delivery.at,
      updated_at: delivery.at,
    })
    .execute();
}
