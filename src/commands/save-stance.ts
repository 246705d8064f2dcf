import { z } from "zod";
import { AppError, invalidFields } from "../domain/app-error.ts";
import { type Actor, auditActor, authorise } from "../policies/actor.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { letterChanged } from "../store/letter-changes.ts";

export const STANCE_LABEL_MAX = 120;

export type SaveStanceInput = {
  actor: Actor;
  campaignId: number;
  /** Absent: a new stance. */
  stanceId?: number | undefined;
  /** The label as typed (shown where no translation exists) and its translations by language. */
  form: { label: string; translations: Record<string, string | undefined> };
};

const label = z
  .string({ error: "field.required" })
  .trim()
  .min(1, "field.required")
  .max(STANCE_LABEL_MAX, "field.tooLong");
const translation = z
  .string()
  .trim()
  .max(STANCE_LABEL_MAX, "field.tooLong")
  .optional()
  .transform((v) => v || undefined);
const schema = z.object({ label, en: translation, my: translation });

/**
 * Defines a stance of a campaign ("declined to attend", "acknowledged receipt") that coordinators tag
 * recipients with; the public tracker shows it in the reader's language. Changing one changes it on every
 * letter of the campaign.
 */
export async function saveStance(
  deps: Pick<CommandDeps, "store">,
  input: SaveStanceInput,
  now: Date,
): Promise<{ id: number }> {
  authorise(input.actor, "recipients.manage", input.campaignId);
  const parsed = schema.safeParse({ label: input.form.label, ...input.form.translations });
  if (!parsed.success) throw invalidFields(parsed.error.issues);
  const { label: text, ...rest } = parsed.data;
  const translations = JSON.stringify(Object.fromEntries(Object.entries(rest).filter(([, v]) => v)));
  const at = now.toISOString();
  const { db } = deps.store;
  const result = await db.transaction().execute(async (trx) => {
    const campaign = await trx
      .selectFrom("campaigns")
      .select("id")
      .where("id", "=", input.campaignId)
      .executeTakeFirst();
    if (!campaign) throw new AppError("not_found");
    let id: number;
    if (input.stanceId === undefined) {
      ({ id } = await trx
        .insertInto("stances")
        .values({ campaign_id: campaign.id, label: text, translations, created_at: at })
        .returning("id")
        .executeTakeFirstOrThrow());
    } else {
      const existing = await trx
        .selectFrom("stances")
        .select("id")
        .where("id", "=", input.stanceId)
        .where("campaign_id", "=", campaign.id)
        .executeTakeFirst();
      if (!existing) throw new AppError("not_found");
      id = existing.id;
      await trx.updateTable("stances").set({ label: text, translations }).where("id", "=", id).execute();
    }
    await recordAudit(
      trx,
      {
        actor: auditActor(input.actor),
        action: input.stanceId === undefined ? "stance.create" : "stance.update",
        subjectType: "stance",
        subjectId: id,
        campaignId: campaign.id,
        detail: { label: text },
      },
      now,
    );
    return { id };
  });
  // A renamed stance shows on every letter of the campaign that tags it.
  if (input.stanceId !== undefined) {
    const letters = await db
      .selectFrom("letters")
      .select("id")
      .where("campaign_id", "=", input.campaignId)
      .execute();
    for (const letter of letters) letterChanged(letter.id);
  }
  return result;
}
