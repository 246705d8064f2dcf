import { type CreateTableBuilder, type Kysely, PostgresAdapter } from "kysely";

/*
 * The full first schema (see schema.ts for what each column means). Column types are the portable subset:
 * text, integer and a dialect-specific auto-increment key, so every query runs unchanged on both databases.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving typed schema.
type AnyDb = Kysely<any>;

function table<T extends string>(db: AnyDb, name: T) {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const builder = db.schema.createTable(name);
  return isPostgres
    ? builder.addColumn("id", "serial", (c) => c.primaryKey())
    : builder.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement());
}

const timestamps = <T extends string, C extends string>(t: CreateTableBuilder<T, C>) =>
  t.addColumn("created_at", "text", (c) => c.notNull());

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable("settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await timestamps(
    table(db, "users")
      .addColumn("email", "text", (c) => c.notNull().unique())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("password_hash", "text", (c) => c.notNull())
      .addColumn("role", "text", (c) => c.notNull())
      .addColumn("locale", "text", (c) => c.notNull().defaultTo("en"))
      .addColumn("totp_secret", "text")
      .addColumn("totp_enabled_at", "text")
      .addColumn("recovery_codes", "text"),
  )
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("disabled_at", "text")
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_seen_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("second_factor_at", "text")
    .execute();
  await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();

  await timestamps(
    table(db, "campaigns")
      .addColumn("slug", "text", (c) => c.notNull().unique())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
      .addColumn("public_key", "text")
      .addColumn("demo_key", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("require_totp", "integer", (c) => c.notNull().defaultTo(0)),
  )
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await timestamps(
    table(db, "one_time_tokens")
      .addColumn("token_hash", "text", (c) => c.notNull().unique())
      .addColumn("purpose", "text", (c) => c.notNull())
      .addColumn("user_id", "integer", (c) => c.references("users.id").onDelete("cascade"))
      .addColumn("campaign_id", "integer", (c) => c.references("campaigns.id").onDelete("cascade"))
      .addColumn("role", "text")
      .addColumn("email", "text")
      .addColumn("expires_at", "text", (c) => c.notNull())
      .addColumn("used_at", "text"),
  ).execute();

  await db.schema
    .createTable("campaign_members")
    .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaigns.id").onDelete("cascade"))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("campaign_members_pk", ["campaign_id", "user_id"])
    .execute();

  await timestamps(
    table(db, "uploads")
      .addColumn("sha256", "text", (c) => c.notNull())
      .addColumn("media_type", "text", (c) => c.notNull())
      .addColumn("bytes", "integer", (c) => c.notNull())
      .addColumn("path", "text", (c) => c.notNull()),
  ).execute();

  await timestamps(
    table(db, "letters")
      .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaigns.id"))
      .addColumn("slug", "text", (c) => c.notNull().unique())
      .addColumn("position", "integer", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("default_language", "text", (c) => c.notNull())
      .addColumn("signers", "text", (c) => c.notNull())
      .addColumn("categories", "text", (c) => c.notNull().defaultTo("[]"))
      .addColumn("required_fields", "text", (c) => c.notNull().defaultTo("[]"))
      .addColumn("moderation", "integer", (c) => c.notNull().defaultTo(1))
      .addColumn("allow_undisclosed", "integer", (c) => c.notNull().defaultTo(1))
      .addColumn("deadline", "text")
      .addColumn("private_token_hash", "text")
      .addColumn("publication_date", "text")
      .addColumn("publisher_name", "text")
      .addColumn("publisher_url", "text")
      .addColumn("publisher_logo_upload_id", "integer", (c) => c.references("uploads.id"))
      .addColumn("publisher_links", "text", (c) => c.notNull().defaultTo("[]"))
      .addColumn("current_version_id", "integer"),
  )
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("published_at", "text")
    .addColumn("closed_at", "text")
    .addColumn("archived_at", "text")
    .execute();
  await db.schema
    .createIndex("letters_campaign")
    .on("letters")
    .columns(["campaign_id", "position"])
    .execute();

  await timestamps(
    table(db, "letter_versions")
      .addColumn("letter_id", "integer", (c) => c.notNull().references("letters.id").onDelete("cascade"))
      .addColumn("number", "integer", (c) => c.notNull())
      .addColumn("content_hash", "text", (c) => c.notNull())
      .addColumn("letter_date", "text")
      .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
      .addUniqueConstraint("letter_versions_number", ["letter_id", "number"]),
  ).execute();

  await table(db, "letter_translations")
    .addColumn("version_id", "integer", (c) =>
      c.notNull().references("letter_versions.id").onDelete("cascade"),
    )
    .addColumn("language", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("addressees", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("salutation", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("body", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("closing", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("publisher_about", "text", (c) => c.notNull().defaultTo(""))
    .addUniqueConstraint("letter_translations_language", ["version_id", "language"])
    .execute();

  await timestamps(
    table(db, "signatures")
      .addColumn("letter_id", "integer", (c) => c.notNull().references("letters.id").onDelete("cascade"))
      .addColumn("version_id", "integer", (c) => c.notNull().references("letter_versions.id"))
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("visibility", "text", (c) => c.notNull())
      .addColumn("category", "text")
      .addColumn("country", "text")
      .addColumn("display_name", "text")
      .addColumn("display_name_alt", "text")
      .addColumn("website", "text")
      .addColumn("match_key", "text")
      .addColumn("sealed_identity", "text")
      .addColumn("sealed_contact", "text")
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("source", "text", (c) => c.notNull())
      .addColumn("leaf_salt", "text", (c) => c.notNull())
      .addColumn("confirm_token_hash", "text", (c) => c.unique())
      .addColumn("confirm_expires_at", "text")
      .addColumn("manage_token_hash", "text", (c) => c.unique())
      .addColumn("updates_email", "text")
      .addColumn("updates_token_hash", "text", (c) => c.unique())
      .addColumn("merged_into_id", "integer", (c) => c.references("signatures.id"))
      .addColumn("reject_reason", "text"),
  )
    .addColumn("confirmed_at", "text")
    .addColumn("approved_at", "text")
    .addColumn("rejected_at", "text")
    .addColumn("withdrawn_at", "text")
    .addColumn("merged_at", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("signatures_letter_state")
    .on("signatures")
    .columns(["letter_id", "state", "visibility"])
    .execute();
  await db.schema
    .createIndex("signatures_match_key")
    .on("signatures")
    .columns(["letter_id", "match_key"])
    .execute();
  await db.schema
    .createIndex("signatures_listing")
    .on("signatures")
    .columns(["letter_id", "state", "category", "display_name"])
    .execute();

  await timestamps(
    table(db, "recipients")
      .addColumn("letter_id", "integer", (c) => c.notNull().references("letters.id").onDelete("cascade"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("office", "text")
      .addColumn("country", "text")
      .addColumn("addressee_group", "text")
      .addColumn("emails", "text", (c) => c.notNull().defaultTo("[]"))
      .addColumn("postal_address", "text")
      .addColumn("notes", "text")
      .addColumn("position", "integer", (c) => c.notNull().defaultTo(0)),
  )
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await timestamps(
    table(db, "outbox_messages")
      .addColumn("purpose", "text", (c) => c.notNull())
      .addColumn("to_address", "text")
      .addColumn("subject", "text", (c) => c.notNull())
      .addColumn("text_body", "text", (c) => c.notNull())
      .addColumn("html_body", "text")
      .addColumn("headers", "text", (c) => c.notNull().defaultTo("{}"))
      .addColumn("attachments", "text", (c) => c.notNull().defaultTo("[]"))
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("next_attempt_at", "text", (c) => c.notNull())
      .addColumn("lease_until", "text")
      .addColumn("last_error", "text")
      .addColumn("message_id", "text", (c) => c.notNull().unique())
      .addColumn("delivery_id", "integer"),
  )
    .addColumn("sent_at", "text")
    .execute();
  await db.schema
    .createIndex("outbox_due")
    .on("outbox_messages")
    .columns(["state", "next_attempt_at"])
    .execute();

  await timestamps(
    table(db, "deliveries")
      .addColumn("letter_id", "integer", (c) => c.notNull().references("letters.id").onDelete("cascade"))
      .addColumn("recipient_id", "integer", (c) =>
        c.notNull().references("recipients.id").onDelete("cascade"),
      )
      .addColumn("method", "text", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("outbox_message_id", "integer", (c) => c.references("outbox_messages.id"))
      .addColumn("version_id", "integer", (c) => c.references("letter_versions.id"))
      .addColumn("pdf_sha256", "text")
      .addColumn("delivered_at", "text")
      .addColumn("note", "text")
      .addColumn("last_response", "text"),
  )
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .execute();

  await timestamps(
    table(db, "responses")
      .addColumn("letter_id", "integer", (c) => c.notNull().references("letters.id").onDelete("cascade"))
      .addColumn("recipient_id", "integer", (c) =>
        c.notNull().references("recipients.id").onDelete("cascade"),
      )
      .addColumn("received_at", "text", (c) => c.notNull())
      .addColumn("summary", "text", (c) => c.notNull())
      .addColumn("document_upload_id", "integer", (c) => c.references("uploads.id"))
      .addColumn("is_public", "integer", (c) => c.notNull().defaultTo(0)),
  )
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .execute();

  await timestamps(
    table(db, "stances")
      .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaigns.id").onDelete("cascade"))
      .addColumn("label", "text", (c) => c.notNull())
      .addColumn("translations", "text", (c) => c.notNull().defaultTo("{}")),
  ).execute();

  await db.schema
    .createTable("recipient_stances")
    .addColumn("recipient_id", "integer", (c) => c.notNull().references("recipients.id").onDelete("cascade"))
    .addColumn("stance_id", "integer", (c) => c.notNull().references("stances.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("recipient_stances_pk", ["recipient_id", "stance_id"])
    .execute();

  await table(db, "letter_updates")
    .addColumn("letter_id", "integer", (c) => c.notNull().references("letters.id").onDelete("cascade"))
    .addColumn("language", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("published_at", "text", (c) => c.notNull())
    .addColumn("mailed_at", "text")
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .execute();

  await table(db, "audit_entries")
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("actor_user_id", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("actor_label", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("subject_type", "text", (c) => c.notNull())
    .addColumn("subject_id", "integer")
    .addColumn("campaign_id", "integer")
    .addColumn("letter_id", "integer")
    .addColumn("detail", "text", (c) => c.notNull().defaultTo("{}"))
    .execute();
  await db.schema.createIndex("audit_at").on("audit_entries").column("at").execute();

  await db.schema
    .createTable("rate_limits")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("window_start", "text", (c) => c.notNull())
    .addColumn("hits", "integer", (c) => c.notNull())
    .execute();

  await table(db, "log_heads")
    .addColumn("letter_id", "integer", (c) => c.notNull().references("letters.id").onDelete("cascade"))
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("root", "text", (c) => c.notNull())
    .addColumn("total", "integer", (c) => c.notNull())
    .addColumn("listed", "integer", (c) => c.notNull())
    .addColumn("undisclosed", "integer", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("prev_hash", "text", (c) => c.notNull())
    .addColumn("signature", "text", (c) => c.notNull())
    .addUniqueConstraint("log_heads_seq", ["letter_id", "seq"])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const name of [
    "log_heads",
    "rate_limits",
    "audit_entries",
    "letter_updates",
    "recipient_stances",
    "stances",
    "responses",
    "deliveries",
    "outbox_messages",
    "recipients",
    "signatures",
    "letter_translations",
    "letter_versions",
    "letters",
    "uploads",
    "campaign_members",
    "one_time_tokens",
    "campaigns",
    "sessions",
    "users",
    "settings",
  ]) {
    await db.schema.dropTable(name).execute();
  }
}
