import type { Kysely } from "kysely";
import type { LetterState } from "../domain/letter-states.ts";
import type { Database } from "../store/schema.ts";
import { listPendingReview } from "./list-pending-review.ts";
import { loadTranslations } from "./translations.ts";

export type ConsoleCampaign = {
  id: number;
  slug: string;
  name: string;
  description: string;
  hasKey: boolean;
  isExample: boolean;
  requireTotp: boolean;
  letters: number;
};

/** What a console campaign shows, selected and grouped by alike (the letters are counted per campaign). */
const CAMPAIGN_COLUMNS = [
  "campaigns.id",
  "campaigns.slug",
  "campaigns.name",
  "campaigns.description",
  "campaigns.public_key",
  "campaigns.demo_key",
  "campaigns.created_at",
  "campaigns.require_totp",
] as const;

/**
 * The campaigns a console user may see ("all" for owners, else their campaigns' ids), newest first, with how
 * many letters each holds (any state).
 */
export async function listConsoleCampaigns(
  db: Kysely<Database>,
  only: "all" | readonly number[],
): Promise<ConsoleCampaign[]> {
  if (only !== "all" && only.length === 0) return [];
  const rows = await db
    .selectFrom("campaigns")
    .leftJoin("letters", "letters.campaign_id", "campaigns.id")
    .select((eb) => [...CAMPAIGN_COLUMNS, eb.fn.count<number | string>("letters.id").as("letters")])
    .$if(only !== "all", (q) => q.where("campaigns.id", "in", only as readonly number[]))
    .groupBy(CAMPAIGN_COLUMNS)
    .orderBy("campaigns.created_at", "desc")
    .orderBy("campaigns.id", "desc")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    description: r.description,
    hasKey: r.public_key !== null,
    isExample: r.demo_key === 1,
    requireTotp: r.require_totp === 1,
    letters: Number(r.letters),
  }));
}

export type ConsoleLetter = {
  id: number;
  slug: string;
  state: LetterState;
  title: string;
  languages: string[];
  versionNumber: number;
  updatedAt: string;
  /** Endorsements awaiting review. */
  pending: number;
};

/**
 * A campaign and all its letters in campaign order, drafts included, titled in their default language.
 * Found by slug whoever asks: the caller checks the asker's right to it.
 */
export async function getConsoleCampaign(
  db: Kysely<Database>,
  slug: string,
): Promise<(ConsoleCampaign & { letterList: ConsoleLetter[] }) | undefined> {
  const row = await db.selectFrom("campaigns").select("id").where("slug", "=", slug).executeTakeFirst();
  const campaign = row ? (await listConsoleCampaigns(db, [row.id]))[0] : undefined;
  if (!campaign) return undefined;
  const letters = await db
    .selectFrom("letters")
    .innerJoin("letter_versions", "letter_versions.id", "letters.current_version_id")
    .select([
      "letters.id",
      "letters.slug",
      "letters.state",
      "letters.default_language",
      "letters.updated_at",
      "letter_versions.id as version_id",
      "letter_versions.number",
    ])
    .where("letters.campaign_id", "=", campaign.id)
    .orderBy("letters.position")
    .orderBy("letters.id")
    .execute();
  const [translations, pending] = await Promise.all([
    loadTranslations(
      db,
      letters.map((l) => l.version_id),
    ),
    listPendingReview(db, [campaign.id]),
  ]);
  return {
    ...campaign,
    letterList: letters.map((l) => {
      const list = translations.get(l.version_id) ?? [];
      return {
        id: l.id,
        slug: l.slug,
        state: l.state,
        title: (list.find((t) => t.language === l.default_language) ?? list[0])?.title ?? l.slug,
        languages: list.map((t) => t.language),
        versionNumber: l.number,
        updatedAt: l.updated_at,
        pending: pending.find((p) => p.letterId === l.id)?.pending ?? 0,
      };
    }),
  };
}
