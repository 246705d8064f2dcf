import type { Kysely } from "kysely";
import { updatesTokenFor } from "../crypto/signer-links.ts";
import { AppError } from "../domain/app-error.ts";
import { isLocale, translator } from "../i18n/index.ts";
import { updateMessage } from "../mail/delivery-message.ts";
import { enqueueMail } from "../mail/outbox.ts";
import { type Actor, auditActor, authorise } from "../policies/actor.ts";
import { countSignatures } from "../queries/count-signatures.ts";
import { SUBSCRIBED_STATES } from "../queries/count-update-subscribers.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import type { Database } from "../store/schema.ts";

/*
 * Mails a letter's update to the signatories who asked for updates: listed endorsements only (an
 * undisclosed signatory's address is never stored readable, see DESIGN.md), confirmed and still standing
 * (not withdrawn, rejected or merged into another). Each mail goes through the outbox with an RFC 8058
 * one-click unsubscribe link. Mailing is once per update, whatever happens: the update's mailed_at is set
 * by a conditional write in the same transaction as the queued mails, so a double click, a retry or a
 * second process finds it set and queues nothing, and a crash leaves either everything or nothing queued.
 */

export type MailLetterUpdateResult = { outcome: "mailed"; recipients: number } | { outcome: "already" };

export async function mailLetterUpdate(
  deps: CommandDeps,
  input: { actor: Actor; updateId: number },
  now: Date,
): Promise<MailLetterUpdateResult> {
  return deps.store.db.transaction().execute(async (trx) => {
    const update = await trx
      .selectFrom("letter_updates")
      .innerJoin("letters", "letters.id", "letter_updates.letter_id")
      .select(["letter_updates.id", "letters.campaign_id"])
      .where("letter_updates.id", "=", input.updateId)
      .executeTakeFirst();
    if (!update) throw new AppError("not_found");
    authorise(input.actor, "letter.publish", update.campaign_id);
    return mailUpdateIn(trx, deps, { actor: input.actor, updateId: update.id }, now);
  });
}

/** The mailing itself, inside the caller's transaction (posting an update can mail it at once). */
export async function mailUpdateIn(
  trx: Kysely<Database>,
  deps: Pick<CommandDeps, "config" | "secret">,
  input: { actor: Actor; updateId: number },
  now: Date,
): Promise<MailLetterUpdateResult> {
  const claimed = await trx
    .updateTable("letter_updates")
    .set({ mailed_at: now.toISOString() })
    .where("id", "=", input.updateId)
    .where("mailed_at", "is", null)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 0) return { outcome: "already" };

  const update = await trx
    .selectFrom("letter_updates")
    .innerJoin("letters", "letters.id", "letter_updates.letter_id")
    .select([
      "letter_updates.letter_id",
      "letter_updates.language",
      "letter_updates.title",
      "letter_updates.body",
      "letters.slug",
      "letters.campaign_id",
    ])
    .where("letter_updates.id", "=", input.updateId)
    .executeTakeFirstOrThrow();
  const subscribers = await trx
    .selectFrom("signatures")
    .select(["id", "updates_email", "listed_salt"])
    .where("letter_id", "=", update.letter_id)
    .where("visibility", "=", "listed")
    .where("state", "in", SUBSCRIBED_STATES)
    .where("updates_email", "is not", null)
    // The unsubscribe token is derived from it (crypto/signer-links.ts); every listed row has one.
    .where("listed_salt", "is not", null)
    .orderBy("id")
    .execute();

  const locale = isLocale(update.language) ? update.language : "en";
  const t = translator(locale);
  const { baseUrl } = deps.config;
  const letterLink = `${baseUrl}/letters/${update.slug}?lang=${locale}`;
  const domain = new URL(baseUrl).hostname;
  // Placeholders such as {{total}} read as on the letter page.
  const counts = (await countSignatures(trx, [update.letter_id])).get(update.letter_id)!;
  // One mail per address: an organisation that endorsed twice (before a merge) hears once.
  const seen = new Set<string>();
  for (const s of subscribers) {
    const address = s.updates_email!;
    if (seen.has(address.toLowerCase())) continue;
    seen.add(address.toLowerCase());
    const unsubscribe = `${baseUrl}/letters/${update.slug}/unsubscribe?token=${updatesTokenFor(deps.secret, s.listed_salt!)}`;
    await enqueueMail(
      trx,
      {
        purpose: "letter_update",
        to: address,
        subject: t("updates.mailSubject", { title: update.title }),
        ...updateMessage({
          language: locale,
          title: update.title,
          body: update.body,
          counts,
          link: letterLink,
          unsubscribe,
        }),
        headers: {
          "List-Unsubscribe": `<${unsubscribe}>`,
          "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
      },
      now,
      domain,
    );
  }
  await recordAudit(
    trx,
    {
      actor: auditActor(input.actor),
      action: "letter_update.mail",
      subjectType: "letter_update",
      subjectId: input.updateId,
      campaignId: update.campaign_id,
      letterId: update.letter_id,
      detail: { recipients: seen.size },
    },
    now,
  );
  return { outcome: "mailed", recipients: seen.size };
}
