import { z } from "zod";
import { AppError, invalidFields } from "../domain/app-error.ts";
import { UPDATE_LIMITS } from "../domain/letter-updates.ts";
import { textProblems } from "../domain/text-input.ts";
import { type Actor, actorUserId, auditActor } from "../policies/actor.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { letterChanged } from "../store/letter-changes.ts";
import { authoriseForLetter } from "../store/recipient-rows.ts";
import { type MailLetterUpdateResult, mailUpdateIn } from "./mail-letter-update.ts";

/*
 * A coordinator posts an update to a letter ("The letter was handed to the embassy today"): it shows on
 * the letter page and in its Atom feed at once, and, when asked, is mailed to the signatories who asked
 * for updates (mail-letter-update.ts). The same update posted twice in a row (a double click, a reload that
 * re-sends the form) is recognised and not stored again, so it cannot be mailed twice either.
 */

/** A window within which an identical post is taken for the same one sent again. */
const REPOST_WINDOW_MS = 10 * 60 * 1000;

export const letterUpdateSchema = z.object({
  title: z
    .string({ error: "field.required" })
    .trim()
    .min(1, "field.required")
    .max(UPDATE_LIMITS.title, "field.tooLong"),
  body: z
    .string({ error: "field.required" })
    .trim()
    .min(1, "field.required")
    .max(UPDATE_LIMITS.body, "field.tooLong"),
  language: z.string({ error: "field.required" }).regex(/^[a-z]{2,3}$/, "updates.invalidLanguage"),
  /** The console's checkbox: any value means "mail it now". */
  mail: z
    .string()
    .optional()
    .transform((v) => v !== undefined && v !== ""),
});

export type PostLetterUpdateInput = { actor: Actor; letterId: number; form: unknown };

export type PostLetterUpdateResult = {
  updateId: number;
  /** False when the same update had just been posted: nothing new was stored. */
  created: boolean;
  mail: MailLetterUpdateResult | undefined;
};

export async function postLetterUpdate(
  deps: CommandDeps,
  input: PostLetterUpdateInput,
  now: Date,
): Promise<PostLetterUpdateResult> {
  const badText = textProblems(input.form);
  if (Object.keys(badText).length > 0) throw new AppError("validation", {}, badText);
  const parsed = letterUpdateSchema.safeParse(input.form ?? {});
  if (!parsed.success) throw invalidFields(parsed.error.issues);
  const form = parsed.data;
  const at = now.toISOString();
  const result = await deps.store.db.transaction().execute(async (trx) => {
    const campaignId = await authoriseForLetter(trx, input.actor, "letter.publish", input.letterId);

    const latest = await trx
      .selectFrom("letter_updates")
      .select(["id", "title", "body", "language", "published_at"])
      .where("letter_id", "=", input.letterId)
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirst();
    const repeated =
      latest !== undefined &&
      latest.title === form.title &&
      latest.body === form.body &&
      latest.language === form.language &&
      now.getTime() - Date.parse(latest.published_at) < REPOST_WINDOW_MS;

    let updateId: number;
    if (repeated) {
      updateId = latest.id;
    } else {
      const row = await trx
        .insertInto("letter_updates")
        .values({
          letter_id: input.letterId,
          language: form.language,
          title: form.title,
          body: form.body,
          published_at: at,
          mailed_at: null,
          created_by: actorUserId(input.actor),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      updateId = row.id;
      await recordAudit(
        trx,
        {
          actor: auditActor(input.actor),
          action: "letter_update.post",
          subjectType: "letter_update",
          subjectId: updateId,
          campaignId,
          letterId: input.letterId,
          detail: { language: form.language },
        },
        now,
      );
    }
    const mail = form.mail ? await mailUpdateIn(trx, deps, { actor: input.actor, updateId }, now) : undefined;
    return { updateId, created: !repeated, mail };
  });
  letterChanged(input.letterId);
  return result;
}
