import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";

/** Addresses are compared and stored in one form, so "Ma.Aye@Example.org" and "ma.aye@example.org" are one account. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserByEmail(db: Kysely<Database>, email: string) {
  return db
    .selectFrom("users")
    .selectAll()
    .where("email", "=", normaliseEmail(email))
    .where("disabled_at", "is", null)
    .executeTakeFirst();
}

export async function findUserById(db: Kysely<Database>, id: number) {
  return db
    .selectFrom("users")
    .selectAll()
    .where("id", "=", id)
    .where("disabled_at", "is", null)
    .executeTakeFirst();
}

export async function hasAnyUser(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom("users").select("id").limit(1).executeTakeFirst();
  return row !== undefined;
}

/** The audit actor for something a signed-in user did. */
export function actorOf(user: { id: number; email: string }): { userId: number; label: string } {
  return { userId: user.id, label: user.email };
}
