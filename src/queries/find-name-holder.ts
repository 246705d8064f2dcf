import type { Kysely } from "kysely";
import type { SignatureState } from "../domain/signature-states.ts";
import { NAME_HOLDING_STATES } from "../domain/signature-states.ts";
import type { Database } from "../store/schema.ts";

/**
 * The endorsement that already holds a listed name on a letter (same match key, in a state that keeps the
 * name: confirmed or approved), other than `exceptId`. Signing, confirming and correcting a name all ask
 * this one question, so "already signed" means the same thing everywhere. The public sign form asks about
 * approved names only (`states`): answering for a confirmed one would tell anyone who types a name that it
 * endorsed and is waiting for review, before the coalition has decided to list it.
 */
export async function findNameHolder(
  db: Kysely<Database>,
  input: { letterId: number; matchKey: string; exceptId?: number; states?: readonly SignatureState[] },
): Promise<number | undefined> {
  let query = db
    .selectFrom("signatures")
    .select("id")
    .where("letter_id", "=", input.letterId)
    .where("match_key", "=", input.matchKey)
    .where("state", "in", input.states ?? NAME_HOLDING_STATES);
  if (input.exceptId !== undefined) query = query.where("id", "<>", input.exceptId);
  const row = await query.limit(1).executeTakeFirst();
  return row?.id;
}

/**
 * A listed endorsement of the letter, holding its name or awaiting review, whose name has the same
 * confusable skeleton (TR39) as `skeleton`: one that looks the same on the page, whatever its characters.
 */
export async function findLookAlike(
  db: Kysely<Database>,
  input: { letterId: number; skeleton: string; exceptId: number },
): Promise<number | undefined> {
  const row = await db
    .selectFrom("signatures")
    .select("id")
    .where("letter_id", "=", input.letterId)
    .where("skeleton", "=", input.skeleton)
    .where("state", "in", NAME_HOLDING_STATES)
    .where("id", "<>", input.exceptId)
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}
