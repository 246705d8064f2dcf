import type { Kysely } from "kysely";

/*
 * Witnesses of the transparency log (C2SP tlog-witness), one row per configured witness, keyed by its
 * verifier key: the size it is known to hold (what the next add-checkpoint request names as old), its newest
 * cosignature line and the tree size it covers, and the back-off after failures. `lease_until` lets one
 * process at a time talk to a witness when several run (as the outbox leases a message).
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving typed schema.
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable("log_witnesses")
    .addColumn("vkey", "text", (c) => c.primaryKey())
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("known_size", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("cosigned_size", "integer")
    .addColumn("cosignature", "text")
    .addColumn("failures", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text", (c) => c.notNull())
    .addColumn("lease_until", "text")
    .addColumn("last_problem", "text")
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable("log_witnesses").execute();
}
