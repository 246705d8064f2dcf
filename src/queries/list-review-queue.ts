import type { Kysely } from "kysely";
import type { SignatureKind, SignatureSource, Visibility } from "../domain/signature-states.ts";
import type { Database } from "../store/schema.ts";

/** The queue's filters; each one absent means "any". */
export type ReviewFilters = {
  kind?: SignatureKind | undefined;
  visibility?: Visibility | undefined;
  category?: string | undefined;
  country?: string | undefined;
  source?: SignatureSource | undefined;
};

export type QueuedEndorsement = {
  id: number;
  kind: SignatureKind;
  visibility: Visibility;
  source: SignatureSource;
  /** Public fields: listed endorsements only (null on undisclosed ones, whose facts are sealed). */
  displayName: string | null;
  displayNameAlt: string | null;
  category: string | null;
  country: string | null;
  website: string | null;
  /** Sealed boxes the coordinator's browser opens with the coalition key; the server cannot read them. */
  sealedIdentity: string | null;
  sealedContact: string | null;
  confirmedAt: string | null;
};

export type ReviewQueue = {
  letter: {
    id: number;
    slug: string;
    title: string;
    campaignId: number;
    campaignPublicKey: string | null;
    demoKey: boolean;
  };
  endorsements: QueuedEndorsement[];
  /** Values present in the whole queue, for the filter menus. */
  categories: string[];
  countries: string[];
  /** Confirmed endorsements awaiting review, before filtering. */
  total: number;
};

/** Enough for one sitting; the filters narrow a larger queue. */
export const QUEUE_PAGE = 200;

/**
 * Confirmed endorsements of one letter awaiting a decision, oldest first (first come, first reviewed),
 * narrowed by the filters. Category and country filters only ever match listed endorsements: undisclosed
 * ones hold those facts only inside their sealed identity.
 */
export async function listReviewQueue(
  db: Kysely<Database>,
  letterId: number,
  filters: ReviewFilters,
): Promise<ReviewQueue | undefined> {
  const letter = await db
    .selectFrom("letters")
    .innerJoin("campaigns", "campaigns.id", "letters.campaign_id")
    .innerJoin("letter_translations", (join) =>
      join
        .onRef("letter_translations.version_id", "=", "letters.current_version_id")
        .onRef("letter_translations.language", "=", "letters.default_language"),
    )
    .select([
      "letters.id",
      "letters.slug",
      "letters.campaign_id",
      "letter_translations.title",
      "campaigns.public_key",
      "campaigns.demo_key",
    ])
    .where("letters.id", "=", letterId)
    .executeTakeFirst();
  if (!letter) return undefined;

  const queued = db
    .selectFrom("signatures")
    .where("letter_id", "=", letterId)
    .where("state", "=", "confirmed");
  let filtered = queued;
  if (filters.kind) filtered = filtered.where("kind", "=", filters.kind);
  if (filters.visibility) filtered = filtered.where("visibility", "=", filters.visibility);
  if (filters.category) filtered = filtered.where("category", "=", filters.category);
  if (filters.country) filtered = filtered.where("country", "=", filters.country);
  if (filters.source) filtered = filtered.where("source", "=", filters.source);

  const [rows, facets, total] = await Promise.all([
    filtered
      .select([
        "id",
        "kind",
        "visibility",
        "source",
        "display_name",
        "display_name_alt",
        "category",
        "country",
        "website",
        "sealed_identity",
        "sealed_contact",
        "confirmed_at",
      ])
      .orderBy("confirmed_at")
      .orderBy("id")
      .limit(QUEUE_PAGE)
      .execute(),
    queued.select(["category", "country"]).distinct().execute(),
    queued.select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow(),
  ]);

  const present = (values: (string | null)[]) =>
    [...new Set(values.filter((v): v is string => v !== null))].sort();
  return {
    letter: {
      id: letter.id,
      slug: letter.slug,
      title: letter.title,
      campaignId: letter.campaign_id,
      campaignPublicKey: letter.public_key,
      demoKey: letter.demo_key === 1,
    },
    endorsements: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      visibility: r.visibility,
      source: r.source,
      displayName: r.display_name,
      displayNameAlt: r.display_name_alt,
      category: r.category,
      country: r.country,
      website: r.website,
      sealedIdentity: r.sealed_identity,
      sealedContact: r.sealed_contact,
      confirmedAt: r.confirmed_at,
    })),
    categories: present(facets.map((f) => f.category)),
    countries: present(facets.map((f) => f.country)),
    total: Number(total.n),
  };
}
