import type { Kysely } from "kysely";
import type { DeliveryMethod } from "../domain/recipients.ts";
import type { Database } from "../store/schema.ts";

/*
 * The public tracker of a letter: who it was addressed to, when it reached them, who answered and what they
 * said (only what the coordinators marked public), and the stances they took. Shared by the letter page,
 * the JSON API and the campaign timeline, so it returns plain serialisable data and nothing private:
 * no email or postal address, no notes, no response the coordinators kept private (a private response is
 * not even counted as "responded": the public record is what the coalition chose to publish).
 */

export type TrackerResponse = {
  receivedAt: string;
  summary: string;
  /** Public address of the attached document, or null when there is none. */
  documentUrl: string | null;
};

export type TrackerStance = {
  label: string;
  /** Language → label, e.g. { my: "…" }; the label itself is the fallback. */
  translations: Record<string, string>;
};

export type TrackerRecipient = {
  id: number;
  name: string;
  office: string | null;
  country: string | null;
  addresseeGroup: string | null;
  /** Which of the letter's addressee groups: two may share a heading. */
  addresseeGroupKey: number | null;
  /** When the letter first reached them (a sent email, or a delivery recorded by hand, post or embassy). */
  deliveredAt: string | null;
  deliveryMethod: DeliveryMethod | null;
  /** The earliest public response's received date. */
  respondedAt: string | null;
  responses: TrackerResponse[];
  stances: TrackerStance[];
};

export type LetterTracker = {
  recipients: TrackerRecipient[];
  counts: { recipients: number; delivered: number; responded: number };
};

/** Deliveries that mean the letter reached the recipient. */
export const DELIVERED_STATES = ["sent", "recorded"] as const;

/** Where a public response's document is served (only while the response is public and the letter readable). */
export function responseDocumentUrl(letterSlug: string, responseId: number): string {
  return `/letters/${letterSlug}/responses/${responseId}/document`;
}

export async function getLetterTracker(db: Kysely<Database>, letterId: number): Promise<LetterTracker> {
  const [letter, recipients, deliveries, responses, stances] = await Promise.all([
    db.selectFrom("letters").select("slug").where("id", "=", letterId).executeTakeFirst(),
    db
      .selectFrom("recipients")
      .select(["id", "name", "office", "country", "addressee_group", "addressee_group_key"])
      .where("letter_id", "=", letterId)
      .orderBy("position")
      .orderBy("id")
      .execute(),
    db
      .selectFrom("deliveries")
      .select(["recipient_id", "method", "delivered_at"])
      .where("letter_id", "=", letterId)
      .where("state", "in", DELIVERED_STATES)
      .where("delivered_at", "is not", null)
      .orderBy("delivered_at")
      .orderBy("id")
      .execute(),
    db
      .selectFrom("responses")
      .select(["id", "recipient_id", "received_at", "summary", "document_upload_id"])
      .where("letter_id", "=", letterId)
      .where("is_public", "=", 1)
      .orderBy("received_at")
      .orderBy("id")
      .execute(),
    db
      .selectFrom("recipient_stances")
      .innerJoin("recipients", "recipients.id", "recipient_stances.recipient_id")
      .innerJoin("stances", "stances.id", "recipient_stances.stance_id")
      .select(["recipient_stances.recipient_id", "stances.label", "stances.translations"])
      .where("recipients.letter_id", "=", letterId)
      .orderBy("stances.id")
      .execute(),
  ]);
  if (!letter) return { recipients: [], counts: { recipients: 0, delivered: 0, responded: 0 } };

  const firstDelivery = new Map<number, { at: string; method: DeliveryMethod }>();
  for (const d of deliveries) {
    if (!firstDelivery.has(d.recipient_id))
      firstDelivery.set(d.recipient_id, { at: d.delivered_at!, method: d.method });
  }
  const answers = new Map<number, TrackerResponse[]>();
  for (const r of responses) {
    const list = answers.get(r.recipient_id) ?? [];
    list.push({
      receivedAt: r.received_at,
      summary: r.summary,
      documentUrl: r.document_upload_id === null ? null : responseDocumentUrl(letter.slug, r.id),
    });
    answers.set(r.recipient_id, list);
  }
  const tags = new Map<number, TrackerStance[]>();
  for (const s of stances) {
    const list = tags.get(s.recipient_id) ?? [];
    list.push({ label: s.label, translations: parseTranslations(s.translations) });
    tags.set(s.recipient_id, list);
  }

  const shown = recipients.map((r): TrackerRecipient => {
    const delivery = firstDelivery.get(r.id);
    const said = answers.get(r.id) ?? [];
    return {
      id: r.id,
      name: r.name,
      office: r.office,
      country: r.country,
      addresseeGroup: r.addressee_group,
      addresseeGroupKey: r.addressee_group_key,
      deliveredAt: delivery?.at ?? null,
      deliveryMethod: delivery?.method ?? null,
      respondedAt: said[0]?.receivedAt ?? null,
      responses: said,
      stances: tags.get(r.id) ?? [],
    };
  });
  return {
    recipients: shown,
    counts: {
      recipients: shown.length,
      delivered: shown.filter((r) => r.deliveredAt !== null).length,
      responded: shown.filter((r) => r.respondedAt !== null).length,
    },
  };
}

function parseTranslations(text: string): Record<string, string> {
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== "object" || Array.isArray(value)) return {};
    return Object.fromEntries(
      Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
    );
  } catch {
    return {};
  }
}

/** A stance's label in a language, falling back to the label the coordinator typed first. */
export function stanceLabel(stance: TrackerStance, language: string): string {
  return stance.translations[language] || stance.label;
}
