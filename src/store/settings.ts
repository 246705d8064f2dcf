import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";

/*
 * Operator-tunable settings live in the database (not in files) so every app process sees the same values:
 * kill switches such as pausing sign-on, and the server secret that signs cookies and CSRF tokens.
 */

export async function getSetting(db: Kysely<Database>, key: string): Promise<string | undefined> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst();
  return row?.value;
}

export async function setSetting(db: Kysely<Database>, key: string, value: string, now: Date): Promise<void> {
  await db
    .insertInto("settings")
    .values({ key, value, updated_at: now.toISOString() })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value, updated_at: now.toISOString() }))
    .execute();
}

/** The server secret: created once, then shared by every process through the settings table. */
export async function getOrCreateSecret(db: Kysely<Database>, now: Date): Promise<string> {
  const candidate = randomBytes(32).toString("base64url");
  // Insert-if-absent then read back, so two processes starting together agree on one secret.
  await db
    .insertInto("settings")
    .values({ key: "server_secret", value: candidate, updated_at: now.toISOString() })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  return (await getSetting(db, "server_secret"))!;
}
