import type { Kysely } from "kysely";
import type { Counts } from "../domain/counts.ts";
import type { Signers } from "../domain/letter-settings.ts";
import type { Database } from "../store/schema.ts";
import { getCampaign, type PublicCampaign } from "./get-campaign.ts";

/*
 * The campaign's story on one timeline: each public letter, the days it reached its recipients, the
 * responses the coordinators made public and the updates they posted. Oldest first: the page tells how the
 * appeal developed (a later letter "reiterates" an earlier one, a response answers a delivery), and that
 * reads in order; the letter page and its feed are where the newest comes first.
 *
 * Only public letters take part, and of recipients only their public name and country: the same boundary
 * as the letter page's tracker.
 */

type LetterRef = { slug: string; title: string; language: string };

export type TimelineEvent =
  | { kind: "letter"; date: string; letter: LetterRef; counts: Counts; signers: Signers }
  | { kind: "delivery"; date: string; letter: LetterRef; recipients: number }
  | {
      kind: "response";
      date: string;
      letter: LetterRef;
      recipient: string;
      country: string | null;
      summary: string;
    }
  | { kind: "update"; date: string; letter: LetterRef; updateId: number; title: string; language: string };

export type CampaignTimeline = {
  campaign: PublicCampaign;
  events: TimelineEvent[];
  counts: { letters: number; endorsements: number; delivered: number; responses: number; updates: number };
};

/** Same day: letters first, then what happened to them. */
const KIND_ORDER: Record<TimelineEvent["kind"], number> = { letter: 0, delivery: 1, response: 2, update: 3 };

export async function getCampaignTimeline(
  db: Kysely<Database>,
  input: { slug: string; language: string },
): Promise<CampaignTimeline | undefined> {
  const campaign = await getCampaign(db, input);
  if (!campaign) return undefined;
  const slugs = campaign.letters.map((l) => l.slug);
  const ids = await db.selectFrom("letters").select(["id", "slug"]).where("slug", "in", slugs).execute();
  const refBySlug = new Map(
    campaign.letters.map((l) => [l.slug, { slug: l.slug, title: l.title, language: l.language }]),
  );
  const refById = new Map(ids.map((r) => [r.id, refBySlug.get(r.slug)!]));
  const letterIds = [...refById.keys()];

  const [deliveries, responses, updates] = await Promise.all([
    db
      .selectFrom("deliveries")
      .select(["letter_id", "recipient_id", "delivered_at"])
      .where("letter_id", "in", letterIds)
      .where("state", "in", ["sent", "recorded"])
      .where("delivered_at", "is not", null)
      .execute(),
    db
      .selectFrom("responses")
      .innerJoin("recipients", "recipients.id", "responses.recipient_id")
      .select([
        "responses.letter_id",
        "responses.received_at",
        "responses.summary",
        "recipients.name",
        "recipients.country",
      ])
      .where("responses.letter_id", "in", letterIds)
      .where("responses.is_public", "=", 1)
      .execute(),
    db
      .selectFrom("letter_updates")
      .select(["id", "letter_id", "title", "language", "published_at"])
      .where("letter_id", "in", letterIds)
      .execute(),
  ]);

  const events: TimelineEvent[] = [];
  for (const letter of campaign.letters) {
    const date = letter.publicationDate ?? letter.letterDate;
    if (date) {
      events.push({
        kind: "letter",
        date,
        letter: refBySlug.get(letter.slug)!,
        counts: letter.counts,
        signers: letter.signers,
      });
    }
  }
  // A delivery event is a letter reaching its recipients on one day, however many messages that took.
  const deliveredOn = new Map<string, { letterId: number; date: string; recipients: Set<number> }>();
  for (const d of deliveries) {
    const date = d.delivered_at!.slice(0, 10);
    const key = `${d.letter_id}\u0000${date}`;
    const day = deliveredOn.get(key) ?? { letterId: d.letter_id, date, recipients: new Set<number>() };
    day.recipients.add(d.recipient_id);
    deliveredOn.set(key, day);
  }
  for (const day of deliveredOn.values()) {
    events.push({
      kind: "delivery",
      date: day.date,
      letter: refById.get(day.letterId)!,
      recipients: day.recipients.size,
    });
  }
  for (const r of responses) {
    events.push({
      kind: "response",
      date: r.received_at.slice(0, 10),
      letter: refById.get(r.letter_id)!,
      recipient: r.name,
      country: r.country,
      summary: r.summary,
    });
  }
  for (const u of updates) {
    events.push({
      kind: "update",
      date: u.published_at,
      letter: refById.get(u.letter_id)!,
      updateId: u.id,
      title: u.title,
      language: u.language,
    });
  }
  events.sort(
    (a, b) =>
      a.date.slice(0, 10).localeCompare(b.date.slice(0, 10)) ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      a.date.localeCompare(b.date),
  );

  const deliveredRecipients = new Set(deliveries.map((d) => d.recipient_id));
  return {
    campaign,
    events,
    counts: {
      letters: campaign.letters.length,
      endorsements: campaign.letters.reduce((n, l) => n + l.counts.total, 0),
      delivered: deliveredRecipients.size,
      responses: responses.length,
      updates: updates.length,
    },
  };
}
