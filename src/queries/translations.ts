import type { Kysely, Selectable } from "kysely";
import type { LetterTranslationsTable } from "../store/schema/letters.ts";
import type { Database } from "../store/schema.ts";

export type TranslationRow = Selectable<LetterTranslationsTable>;

/** Every translation of the given versions, grouped by version, in one query. */
export async function loadTranslations(
  db: Kysely<Database>,
  versionIds: readonly number[],
): Promise<Map<number, TranslationRow[]>> {
  const byVersion = new Map<number, TranslationRow[]>();
  if (versionIds.length === 0) return byVersion;
  const rows = await db
    .selectFrom("letter_translations")
    .selectAll()
    .where("version_id", "in", [...new Set(versionIds)])
    .orderBy("language")
    .execute();
  for (const row of rows) {
    const list = byVersion.get(row.version_id) ?? [];
    list.push(row);
    byVersion.set(row.version_id, list);
  }
  return byVersion;
}
