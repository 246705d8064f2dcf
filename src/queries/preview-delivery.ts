import type { Kysely } from "kysely";
import { type DeliveryMessage, deliveryMessage } from "../mail/delivery-message.ts";
import type { Database } from "../store/schema.ts";
import { getPublicLetter, type PublicLetter } from "./get-public-letter.ts";

/*
 * The delivery mail of a letter exactly as deliver-letter.ts queues it (the same function builds both), for
 * the console's preview before sending: subject, HTML and text parts, and the Reply-To.
 */

export type DeliveryPreview = {
  letter: PublicLetter;
  defaultLanguage: string;
  mail: DeliveryMessage;
  replyTo: string | null;
};

export async function previewDelivery(
  db: Kysely<Database>,
  baseUrl: string,
  letterId: number,
): Promise<DeliveryPreview | undefined> {
  const row = await db
    .selectFrom("letters")
    .select(["slug", "default_language", "reply_to"])
    .where("id", "=", letterId)
    .executeTakeFirst();
  if (!row) return undefined;
  const letter = await getPublicLetter(db, { slug: row.slug, language: row.default_language });
  if (!letter) return undefined;
  const link = `${baseUrl}/letters/${letter.slug}`;
  const mail = deliveryMessage(letter, { letter: link, signatories: `${link}/signatories` });
  return { letter, defaultLanguage: row.default_language, mail, replyTo: row.reply_to };
}
