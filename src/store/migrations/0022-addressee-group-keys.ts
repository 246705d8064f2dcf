import type { Kysely } from "kysely";

/*
 * Which addressee group a recipient belongs to, not only its heading: a letter may address two groups under
 * one heading ("The Defence Ministers of" ASEAN's members, then the partners'), and the tracker shows them
 * apart only if recipients say which one. New recipients take the number of their group in the letter's
 * addressees (1 for the first). Recipients already stored knew only their heading, so each run of one heading
 * in the coordinators' order becomes one group, numbered in order: what the tracker showed before.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving typed schema.
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable("recipients").addColumn("addressee_group_key", "integer").execute();
  const rows: { id: number; letter_id: number; addressee_group: string | null }[] = await db
    .selectFrom("recipients")
    .select(["id", "letter_id", "addressee_group"])
    .orderBy("letter_id")
    .orderBy("position")
    .orderBy("id")
    .execute();
  let previous: { letter_id: number; addressee_group: string | null } | undefined;
  let key = 0;
  for (const row of rows) {
    if (previous?.letter_id !== row.letter_id) key = 0;
    if (previous?.letter_id !== row.letter_id || previous.addressee_group !== row.addressee_group) key++;
    previous = row;
    if (row.addressee_group === null) continue;
    await db.updateTable("recipients").set({ addressee_group_key: key }).where("id", "=", row.id).execute();
  }
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable("recipients").dropColumn("addressee_group_key").execute();
}
