import type { Kysely } from "kysely";
import type { DeliveryMethod, DeliveryState } from "../domain/recipients.ts";
import type { Database } from "../store/schema.ts";

/*
 * The console's view of a letter's recipients: everything the coordinators entered (addresses, notes), every
 * delivery with its state and the mail server's answer, every response (public or not) and the stances.
 * Console only: the public sees getLetterTracker.
 */

export type ConsoleDelivery = {
  id: number;
  method: DeliveryMethod;
  state: DeliveryState;
  versionNumber: number | null;
  pdfSha256: string | null;
  deliveredAt: string | null;
  note: string | null;
  lastResponse: string | null;
  createdAt: string;
};

export type ConsoleResponse = {
  id: number;
  receivedAt: string;
  summary: string;
  isPublic: boolean;
  hasDocument: boolean;
};

export type ConsoleRecipient = {
  id: number;
  name: string;
  office: string | null;
  country: string | null;
  addresseeGroup: string | null;
  emails: string[];
  postalAddress: string | null;
  notes: string | null;
  /** Newest first. */
  deliveries: ConsoleDelivery[];
  responses: ConsoleResponse[];
  stanceIds: number[];
};

export type ConsoleStance = { id: number; label: string; translations: Record<string, string> };

export type ConsoleRecipients = {
  letter: {
    id: number;
    campaignId: number;
    campaignSlug: string;
    slug: string;
    state: string;
    title: string;
    /** The delivery mail's Reply-To, as a coordinator set it. */
    replyTo: string | null;
  };
  recipients: ConsoleRecipient[];
  stances: ConsoleStance[];
};

export async function listLetterRecipients(
  db: Kysely<Database>,
  letterId: number,
): Promise<ConsoleRecipients | undefined> {
  const letter = await db
    .selectFrom("letters")
    .innerJoin("campaigns", "campaigns.id", "letters.campaign_id")
    .leftJoin("letter_translations", (join) =>
      join
        .onRef("letter_translations.version_id", "=", "letters.current_version_id")
        .onRef("letter_translations.language", "=", "letters.default_language"),
    )
    .select([
      "letters.id",
      "letters.campaign_id",
      "campaigns.slug as campaign_slug",
      "letters.slug",
      "letters.state",
      "letters.reply_to",
      "letter_translations.title",
    ])
    .where("letters.id", "=", letterId)
    .executeTakeFirst();
  if (!letter) return undefined;
  const [recipients, deliveries, responses, tags, stances] = await Promise.all([
    db
      .selectFrom("recipients")
      .selectAll()
      .where("letter_id", "=", letterId)
      .orderBy("position")
      .orderBy("id")
      .execute(),
    db
      .selectFrom("deliveries")
      .leftJoin("letter_versions", "letter_versions.id", "deliveries.version_id")
      .select([
        "deliveries.id",
        "deliveries.recipient_id",
        "deliveries.method",
        "deliveries.state",
        "deliveries.pdf_sha256",
        "deliveries.delivered_at",
        "deliveries.note",
        "deliveries.last_response",
        "deliveries.created_at",
        "letter_versions.number as version_number",
      ])
      .where("deliveries.letter_id", "=", letterId)
      .orderBy("deliveries.id", "desc")
      .execute(),
    db
      .selectFrom("responses")
      .select(["id", "recipient_id", "received_at", "summary", "is_public", "document_upload_id"])
      .where("letter_id", "=", letterId)
      .orderBy("received_at")
      .orderBy("id")
      .execute(),
    db
      .selectFrom("recipient_stances")
      .innerJoin("recipients", "recipients.id", "recipient_stances.recipient_id")
      .select(["recipient_stances.recipient_id", "recipient_stances.stance_id"])
      .where("recipients.letter_id", "=", letterId)
      .execute(),
    listCampaignStances(db, letter.campaign_id),
  ]);
  return {
    letter: {
      id: letter.id,
      campaignId: letter.campaign_id,
      campaignSlug: letter.campaign_slug,
      slug: letter.slug,
      state: letter.state,
      title: letter.title ?? letter.slug,
      replyTo: letter.reply_to,
    },
    recipients: recipients.map((r) => ({
      id: r.id,
      name: r.name,
      office: r.office,
      country: r.country,
      addresseeGroup: r.addressee_group,
      emails: JSON.parse(r.emails) as string[],
      postalAddress: r.postal_address,
      notes: r.notes,
      deliveries: deliveries
        .filter((d) => d.recipient_id === r.id)
        .map((d) => ({
          id: d.id,
          method: d.method,
          state: d.state,
          versionNumber: d.version_number,
          pdfSha256: d.pdf_sha256,
          deliveredAt: d.delivered_at,
          note: d.note,
          lastResponse: d.last_response,
          createdAt: d.created_at,
        })),
      responses: responses
        .filter((x) => x.recipient_id === r.id)
        .map((x) => ({
          id: x.id,
          receivedAt: x.received_at,
          summary: x.summary,
          isPublic: x.is_public === 1,
          hasDocument: x.document_upload_id !== null,
        })),
      stanceIds: tags.filter((t) => t.recipient_id === r.id).map((t) => t.stance_id),
    })),
    stances,
  };
}

export async function listCampaignStances(
  db: Kysely<Database>,
  campaignId: number,
): Promise<ConsoleStance[]> {
  const rows = await db
    .selectFrom("stances")
    .select(["id", "label", "translations"])
    .where("campaign_id", "=", campaignId)
    .orderBy("id")
    .execute();
  return rows.map((s) => ({
    id: s.id,
    label: s.label,
    translations: JSON.parse(s.translations) as Record<string, string>,
  }));
}

/** How many recipients (on how many letters of the campaign) carry a stance: what removing it would untag. */
export async function countStanceRecipients(
  db: Kysely<Database>,
  stanceId: number,
): Promise<{ recipients: number; letters: number }> {
  const rows = await db
    .selectFrom("recipient_stances")
    .innerJoin("recipients", "recipients.id", "recipient_stances.recipient_id")
    .select("recipients.letter_id")
    .where("recipient_stances.stance_id", "=", stanceId)
    .execute();
  return { recipients: rows.length, letters: new Set(rows.map((r) => r.letter_id)).size };
}
