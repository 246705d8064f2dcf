import { type Kysely, sql } from "kysely";

/*
 * What a signer's action causes keeps no time finer than the UTC day (domain/coarse-time.ts):
 *
 * - `signer_events`: the record of what signers did (submitted, confirmed, asked for a new link, withdrew,
 *   corrected a name, unsubscribed), by day and under random ids, kept apart from the coordinators' timed
 *   audit log so that no entry's place between two timed entries brackets the moment.
 * - `outbox_messages.signer_caused`: a mail a signer's action queued (a confirmation link) is scheduled,
 *   leased and retried at coarse times and deleted, not just erased, once sent or given up.
 * - What earlier versions stored is cut to the day here: the times of endorsements from the sign form, the
 *   signed-at dates of imported undisclosed endorsements, and the signer entries of the audit log, which move
 *   to `signer_events`.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving typed schema.
type AnyDb = Kysely<any>;

/** The column's value cut to midnight UTC of its day, as ISO-8601 text (valid SQL on both databases). */
const day = (column: string) =>
  sql`case when ${sql.ref(column)} is null then null else substr(${sql.ref(column)}, 1, 10) || 'T00:00:00.000Z' end`;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable("signer_events")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("signature_id", "integer", (c) => c.references("signatures.id").onDelete("cascade"))
    .addColumn("campaign_id", "integer", (c) => c.references("campaigns.id").onDelete("cascade"))
    .addColumn("letter_id", "integer", (c) => c.references("letters.id").onDelete("cascade"))
    .addColumn("detail", "text", (c) => c.notNull().defaultTo("{}"))
    .execute();
  await db.schema.createIndex("signer_events_letter").on("signer_events").column("letter_id").execute();

  await db.schema
    .alterTable("outbox_messages")
    .addColumn("signer_caused", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db
    .updateTable("outbox_messages")
    .set({ signer_caused: 1 })
    .where("purpose", "=", "confirmation")
    .execute();

  await db
    .insertInto("signer_events")
    .columns(["id", "day", "action", "signature_id", "campaign_id", "letter_id", "detail"])
    .expression(
      db
        .selectFrom("audit_entries")
        .select([
          "id",
          sql`substr(at, 1, 10)`.as("day"),
          "action",
          sql`case when subject_type = 'signature' and subject_id in (select id from signatures) then subject_id else null end`.as(
            "signature_id",
          ),
          sql`case when campaign_id in (select id from campaigns) then campaign_id else null end`.as(
            "campaign_id",
          ),
          sql`case when letter_id in (select id from letters) then letter_id else null end`.as("letter_id"),
          "detail",
        ])
        .where("actor_label", "=", "signer"),
    )
    .execute();
  await db.deleteFrom("audit_entries").where("actor_label", "=", "signer").execute();

  await db
    .updateTable("signatures")
    .set({
      created_at: day("created_at"),
      updated_at: day("updated_at"),
      confirmed_at: day("confirmed_at"),
      withdrawn_at: day("withdrawn_at"),
      confirm_expires_at: day("confirm_expires_at"),
    })
    .where("source", "=", "form")
    .execute();
  await db
    .updateTable("signatures")
    .set({ confirmed_at: day("confirmed_at") })
    .where("source", "=", "import")
    .where("visibility", "=", "undisclosed")
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  // The times cut to the day stay cut: the moments are gone, which is the point.
  await db
    .insertInto("audit_entries")
    .columns([
      "at",
      "actor_user_id",
      "actor_label",
      "action",
      "subject_type",
      "subject_id",
      "campaign_id",
      "letter_id",
      "detail",
    ])
    .expression(
      db
        .selectFrom("signer_events")
        .select([
          sql`day || 'T00:00:00.000Z'`.as("at"),
          sql`cast(null as integer)`.as("actor_user_id"),
          sql`'signer'`.as("actor_label"),
          "action",
          sql`'signature'`.as("subject_type"),
          "signature_id",
          "campaign_id",
          "letter_id",
          "detail",
        ]),
    )
    .execute();
  await db.schema.dropTable("signer_events").execute();
  await db.schema.alterTable("outbox_messages").dropColumn("signer_caused").execute();
}
