import type { Kysely } from "kysely";
import type { SignatureKind, SignatureSource, Visibility } from "../domain/signature-states.ts";
import type { Database } from "../store/schema.ts";
import { consoleLetterHeading } from "./console-letter-heading.ts";
import {
  ENDORSEMENT_RECORD_COLUMNS,
  type EndorsementRecord,
  endorsementRecord,
} from "./endorsement-records.ts";

/** The queue's filters; each one absent means "any". */
export type ReviewFilters = {
  kind?: SignatureKind | undefined;
  visibility?: Visibility | undefined;
  category?: string | undefined;
  country?: string | undefined;
  source?: SignatureSource | undefined;
};

export type QueuedEndorsement = EndorsementRecord & { source: SignatureSource };

/** A public endorsement whose signer asked to change its name; the approved name stays until decided. */
export type ProposedNameChange = {
  id: number;
  name: string;
  nameAlt: string | null;
  proposedName: string;
  proposedNameAlt: string | null;
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
  nameChanges: ProposedNameChange[];
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
  const letter = await consoleLetterHeading(db, letterId).select("campaigns.demo_key").executeTakeFirst();
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

  const [rows, facets, total, changes] = await Promise.all([
    filtered
      .select([...ENDORSEMENT_RECORD_COLUMNS, "source"])
      .orderBy("confirmed_at")
      .orderBy("id")
      .limit(QUEUE_PAGE)
      .execute(),
    queued.select(["category", "country"]).distinct().execute(),
    queued.select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow(),
    db
      .selectFrom("signatures")
      .select(["id", "display_name", "display_name_alt", "proposed_name", "proposed_name_alt"])
      .where("letter_id", "=", letterId)
      .where("proposed_name", "is not", null)
      .orderBy("updated_at")
      .limit(QUEUE_PAGE)
      .execute(),
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
    endorsements: rows.map((r) => ({ ...endorsementRecord(r), source: r.source })),
    nameChanges: changes.map((r) => ({
      id: r.id,
      name: r.display_name ?? "",
      nameAlt: r.display_name_alt,
      proposedName: r.proposed_name!,
      proposedNameAlt: r.proposed_name_alt,
    })),
    categories: present(facets.map((f) => f.category)),
    countries: present(facets.map((f) => f.country)),
    total: Number(total.n),
  };
}
