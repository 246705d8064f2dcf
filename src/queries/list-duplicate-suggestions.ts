import type { Kysely } from "kysely";
import { type DuplicatePair, suggestDuplicates } from "../domain/duplicates.ts";
import type { SignatureSource, SignatureState } from "../domain/signature-states.ts";
import { NAME_HOLDING_STATES } from "../domain/signature-states.ts";
import type { Database } from "../store/schema.ts";

export type ListedEndorsement = {
  id: number;
  name: string;
  nameAlt: string | null;
  category: string | null;
  country: string | null;
  website: string | null;
  state: SignatureState;
  source: SignatureSource;
  confirmedAt: string | null;
};

/** Most suggestions a page shows; merging the first ones and reloading brings the next. */
export const SUGGESTIONS_PAGE = 100;

/**
 * Likely duplicates among a letter's listed endorsements that hold their name (confirmed or approved),
 * best match first. Each pair is ordered earliest first: the one a merge keeps.
 */
export async function listDuplicateSuggestions(
  db: Kysely<Database>,
  letterId: number,
): Promise<DuplicatePair<ListedEndorsement>[]> {
  const rows = await db
    .selectFrom("signatures")
    .select([
      "id",
      "display_name",
      "display_name_alt",
      "category",
      "country",
      "website",
      "state",
      "source",
      "confirmed_at",
    ])
    .where("letter_id", "=", letterId)
    .where("visibility", "=", "listed")
    .where("state", "in", NAME_HOLDING_STATES)
    .orderBy("confirmed_at")
    .orderBy("id")
    .execute();
  const items: ListedEndorsement[] = rows.map((r) => ({
    id: r.id,
    name: r.display_name ?? "",
    nameAlt: r.display_name_alt,
    category: r.category,
    country: r.country,
    website: r.website,
    state: r.state,
    source: r.source,
    confirmedAt: r.confirmed_at,
  }));
  return suggestDuplicates(items).slice(0, SUGGESTIONS_PAGE);
}
