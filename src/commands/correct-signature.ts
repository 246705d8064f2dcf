import { z } from "zod";
import { AppError, invalidFields } from "../domain/app-error.ts";
import { confusableSkeleton } from "../domain/confusables.ts";
import { isCountryCode } from "../domain/countries.ts";
import { displayName, matchKey, nameProblem } from "../domain/names.ts";
import { FIELD_LIMITS } from "../domain/sign-on-rules.ts";
import { NAME_HOLDING_STATES } from "../domain/signature-states.ts";
import { type Actor, authorise } from "../policies/actor.ts";
import { findNameHolder } from "../queries/find-name-holder.ts";
import { auditSignature } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { letterChanged } from "../store/letter-changes.ts";
import { signatureById } from "../store/signature-rows.ts";

export const correctionSchema = z.object({
  name: z
    .string({ error: "field.required" })
    .trim()
    .min(1, "field.required")
    .max(FIELD_LIMITS.name, "field.tooLong"),
  category: z
    .string()
    .trim()
    .max(FIELD_LIMITS.category, "field.tooLong")
    .optional()
    .transform((v) => v || null),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .optional()
    .transform((v) => v || null)
    .refine((v) => v === null || isCountryCode(v), "sign.invalidChoice"),
});

export type CorrectionInput = z.input<typeof correctionSchema>;

export type CorrectSignatureResult = { changed: string[] };

/**
 * A coordinator fixes a listed endorsement's public facts: the spelling of its name (Zawgyi converted, as at
 * signing), its category or its country. The new name must not be one that another endorsement of the
 * letter already holds (same match key): that is a duplicate to merge, not a correction. The audit entry
 * records which fields changed, not their values. What cannot be saved is refused with one
 * `AppError("validation")` naming the field. Undisclosed endorsements have no public facts; their
 * sealed identity can only be changed by whoever holds the key, so they are refused.
 */
export async function correctSignature(
  deps: Pick<CommandDeps, "store">,
  input: { actor: Actor; letterId: number; signatureId: number; form: unknown },
  now: Date,
): Promise<CorrectSignatureResult> {
  const parsed = correctionSchema.safeParse(input.form ?? {});
  if (!parsed.success) throw invalidFields(parsed.error.issues);
  const namesProblem = nameProblem(parsed.data.name);
  if (namesProblem) throw new AppError("validation", {}, { name: namesProblem });
  const name = displayName(parsed.data.name);
  const key = matchKey(name);

  const result = await deps.store.db.transaction().execute(async (trx): Promise<CorrectSignatureResult> => {
    const signature = await signatureById(trx, input.signatureId, input.letterId)
      .select(["signatures.display_name", "signatures.category", "signatures.country", "letters.categories"])
      .executeTakeFirst();
    if (!signature) throw new AppError("not_found");
    authorise(input.actor, "signature.edit", signature.campaign_id);
    if (signature.visibility !== "listed" || !NAME_HOLDING_STATES.includes(signature.state)) {
      throw new AppError("invalid_state");
    }
    const categories = JSON.parse(signature.categories) as string[];
    if (
      parsed.data.category !== null &&
      categories.length > 0 &&
      !categories.includes(parsed.data.category)
    ) {
      throw new AppError("validation", {}, { category: "sign.invalidChoice" });
    }
    const changed = [
      signature.display_name !== name ? "name" : "",
      signature.category !== parsed.data.category ? "category" : "",
      signature.country !== parsed.data.country ? "country" : "",
    ].filter(Boolean);
    if (changed.length === 0) return { changed };

    if (changed.includes("name")) {
      const holder = await findNameHolder(trx, {
        letterId: input.letterId,
        matchKey: key,
        exceptId: signature.id,
      });
      if (holder) throw new AppError("validation", {}, { name: "corrections.nameTaken" });
    }
    await trx
      .updateTable("signatures")
      .set({
        display_name: name,
        match_key: key,
        skeleton: confusableSkeleton(name),
        category: parsed.data.category,
        country: parsed.data.country,
        updated_at: now.toISOString(),
      })
      .where("id", "=", signature.id)
      .execute();
    // Which fields changed, not their values.
    const detail = { fields: changed.join(",") };
    await auditSignature(trx, input.actor, signature, { action: "signature.correct", detail }, now);
    return { changed };
  });
  if (result.changed.length > 0) letterChanged(input.letterId);
  return result;
}
