import { createHash } from "node:crypto";
import path from "node:path";
import { z } from "zod";
import { AppError } from "../domain/app-error.ts";
import { enqueueMail } from "../mail/outbox.ts";
import { type Actor, actorUserId, auditActor, authorise } from "../policies/actor.ts";
import { previewDelivery } from "../queries/preview-delivery.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { writeFileWhole } from "../store/files.ts";
import { letterForUpdate } from "../store/recipient-rows.ts";

/** Prints the letter as the public gets it at /letters/:slug.pdf; `available` is false without Chromium. */
export type LetterPdfSource = {
  readonly available: boolean;
  render(letter: { slug: string; language: string }): Promise<Buffer>;
};

export type DeliverLetterInput = {
  actor: Actor;
  letterId: number;
  recipientIds: number[];
  /** Send again to recipients who already got this version by email; refused without it. */
  resend: boolean;
  /** The Reply-To for this letter's mails, kept on the letter ("" clears it); unchanged when absent. */
  replyTo?: string | undefined;
};

export type DeliverLetterResult = {
  queued: number;
  /** Chosen recipients without an email address (deliver those by hand, post or embassy). */
  withoutEmail: string[];
  pdfSha256: string;
};

const inputSchema = z.object({
  recipientIds: z.array(z.number().int().positive()).min(1, "delivery.noneChosen").max(1000),
  resend: z.boolean(),
  replyTo: z.union([z.literal(""), z.string().trim().max(254).email()]).optional(),
});

/** Letters go out once published (or closed), never while they may still be embargoed. */
const DELIVERABLE_STATES = ["published", "closed"];

/**
 * Sends the letter to the chosen recipients through the outbox: one mail per recipient (to all of their
 * addresses) with the letter's text, its public link and the PDF attached. The PDF is printed once by
 * the public PDF route, kept under DATA_DIR/deliveries by its SHA-256 (which each delivery records, so one
 * can later prove what was sent), and each mail is queued in the same transaction as its delivery row.
 * Sending the same version to a recipient twice needs `resend`; without it the whole request is refused,
 * naming who already has it, so a double click or a second coordinator never mails an official twice.
 */
export async function deliverLetter(
  deps: Pick<CommandDeps, "store" | "config"> & { letterPdf: LetterPdfSource },
  input: DeliverLetterInput,
  now: Date,
): Promise<DeliverLetterResult> {
  const parsed = inputSchema.safeParse({
    recipientIds: input.recipientIds,
    resend: input.resend,
    replyTo: input.replyTo,
  });
  if (!parsed.success)
    throw new AppError(
      "validation",
      {},
      parsed.error.issues.some((i) => i.path[0] === "replyTo")
        ? { replyTo: "delivery.replyToInvalid" }
        : { recipients: "delivery.noneChosen" },
    );
  const { db, dialect } = deps.store;
  const ids = [...new Set(parsed.data.recipientIds)];

  const letterRow = await db
    .selectFrom("letters")
    .select(["id", "campaign_id", "slug", "state", "default_language"])
    .where("id", "=", input.letterId)
    .executeTakeFirst();
  if (!letterRow) throw new AppError("not_found");
  authorise(input.actor, "letter.deliver", letterRow.campaign_id);
  if (!DELIVERABLE_STATES.includes(letterRow.state))
    throw new AppError("invalid_state", {}, { delivery: "delivery.notPublished" });
  if (parsed.data.replyTo !== undefined)
    await db
      .updateTable("letters")
      .set({ reply_to: parsed.data.replyTo || null })
      .where("id", "=", letterRow.id)
      .execute();
  const preview = await previewDelivery(db, deps.config.baseUrl, letterRow.id);
  if (!preview) throw new AppError("not_found");
  const { letter, mail, replyTo } = preview;

  const chosen = await db
    .selectFrom("recipients")
    .select(["id", "name", "emails"])
    .where("letter_id", "=", letter.id)
    .where("id", "in", ids)
    .orderBy("position")
    .orderBy("id")
    .execute();
  if (chosen.length !== ids.length) throw new AppError("not_found");
  const withEmail = chosen
    .map((r) => ({ ...r, addresses: JSON.parse(r.emails) as string[] }))
    .filter((r) => r.addresses.length > 0);
  const mailed = new Set(withEmail.map((r) => r.id));
  const withoutEmail = chosen.filter((r) => !mailed.has(r.id)).map((r) => r.name);
  if (withEmail.length === 0) throw new AppError("validation", {}, { recipients: "delivery.noEmails" });

  const alreadyDelivered = async (trx: typeof db) => {
    const rows = await trx
      .selectFrom("deliveries")
      .innerJoin("recipients", "recipients.id", "deliveries.recipient_id")
      .select("recipients.name")
      .distinct()
      .where("deliveries.letter_id", "=", letter.id)
      .where("deliveries.method", "=", "email")
      .where("deliveries.version_id", "=", letter.version.id)
      .where(
        "deliveries.recipient_id",
        "in",
        withEmail.map((r) => r.id),
      )
      .execute();
    return rows.map((r) => r.name);
  };
  const refuseTwice = (names: string[]) => {
    if (names.length > 0 && !parsed.data.resend)
      throw new AppError("conflict", { names: names.join(", ") }, { resend: "delivery.alreadyDelivered" });
  };
  // Checked before the slow print so a refusal is immediate, and again inside the transaction below.
  refuseTwice(await alreadyDelivered(db));

  if (!deps.letterPdf.available) throw new AppError("unavailable", {}, { delivery: "delivery.noChromium" });
  const pdf = await deps.letterPdf.render({ slug: letter.slug, language: letter.language });
  const pdfSha256 = createHash("sha256").update(pdf).digest("hex");
  // Kept, not cached: the attachment must exist until the last retry, and it is the record of what was sent.
  const file = path.resolve(deps.config.dataDir, "deliveries", `${pdfSha256}.pdf`);
  await writeFileWhole(file, pdf);

  const at = now.toISOString();
  const domain = new URL(deps.config.baseUrl).hostname;

  const queued = await db.transaction().execute(async (trx) => {
    const locked = await letterForUpdate(
      trx,
      dialect,
      { actor: input.actor, letterId: letter.id },
      "letter.deliver",
    );
    refuseTwice(await alreadyDelivered(trx));
    for (const recipient of withEmail) {
      const delivery = await trx
        .insertInto("deliveries")
        .values({
          letter_id: letter.id,
          recipient_id: recipient.id,
          method: "email",
          state: "queued",
          version_id: letter.version.id,
          pdf_sha256: pdfSha256,
          created_at: at,
          updated_at: at,
          created_by: actorUserId(input.actor),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const outboxId = await enqueueMail(
        trx,
        {
          purpose: "delivery",
          to: recipient.addresses.join(", "),
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          ...(replyTo ? { headers: { "Reply-To": replyTo } } : {}),
          attachments: [{ filename: `${letter.slug}.pdf`, contentType: "application/pdf", path: file }],
          deliveryId: delivery.id,
        },
        now,
        domain,
      );
      await trx
        .updateTable("deliveries")
        .set({ outbox_message_id: outboxId })
        .where("id", "=", delivery.id)
        .execute();
    }
    await recordAudit(
      trx,
      {
        actor: auditActor(input.actor),
        action: "letter.deliver",
        subjectType: "letter",
        subjectId: letter.id,
        campaignId: locked.campaign_id,
        letterId: letter.id,
        detail: {
          recipients: withEmail.length,
          ...(replyTo ? { reply_to: replyTo } : {}),
          version: letter.version.number,
          pdf_sha256: pdfSha256,
          resend: parsed.data.resend,
        },
      },
      now,
    );
    return withEmail.length;
  });
  return { queued, withoutEmail, pdfSha256 };
}
