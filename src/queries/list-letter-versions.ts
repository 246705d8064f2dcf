import type { Kysely } from "kysely";
import type { TranslationContent } from "../domain/letter-content-hash.ts";
import type { Database } from "../store/schema.ts";
import { loadVersionContent } from "./get-letter-for-editing.ts";

export type LetterVersion = {
  id: number;
  number: number;
  createdAt: string;
  createdBy: string | null;
  letterDate: string | null;
  /** Endorsements recorded against this version, in any state: the reason it was kept unchanged. */
  signatures: number;
  translations: TranslationContent[];
};

/**
 * A letter's versions, newest first, with their full content so consecutive ones can be compared. The
 * newest is the current one; its number and date give the public page's "last amended on …".
 */
export async function listLetterVersions(db: Kysely<Database>, letterId: number): Promise<LetterVersion[]> {
  const letter = await db
    .selectFrom("letters")
    .select("default_language")
    .where("id", "=", letterId)
    .executeTakeFirst();
  if (!letter) return [];
  const versions = await db
    .selectFrom("letter_versions")
    .leftJoin("users", "users.id", "letter_versions.created_by")
    .select([
      "letter_versions.id",
      "letter_versions.number",
      "letter_versions.created_at",
      "letter_versions.letter_date",
      "users.name as created_by",
    ])
    .where("letter_versions.letter_id", "=", letterId)
    .orderBy("letter_versions.number", "desc")
    .execute();
  const counts = await db
    .selectFrom("signatures")
    .select((eb) => ["version_id", eb.fn.countAll<number | string>().as("n")])
    .where("letter_id", "=", letterId)
    .groupBy("version_id")
    .execute();
  return Promise.all(
    versions.map(async (v) => ({
      id: v.id,
      number: v.number,
      createdAt: v.created_at,
      createdBy: v.created_by,
      letterDate: v.letter_date,
      signatures: Number(counts.find((c) => c.version_id === v.id)?.n ?? 0),
      translations: await loadVersionContent(db, v.id, letter.default_language),
    })),
  );
}
