import type { Kysely } from "kysely";

/*
 * The outbox records the attempt whose message was handed to the mail server whole but for its last bytes
 * (mail/worker.ts, "sent at most once"): a worker that dies after that point leaves a message that may
 * have arrived, which is then recorded as possibly sent instead of being sent again.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving typed schema.
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable("outbox_messages").addColumn("handed_over_attempt", "integer").execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable("outbox_messages").dropColumn("handed_over_attempt").execute();
}
