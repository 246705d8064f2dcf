import { AppError } from "../domain/app-error.ts";
import { type Actor, actorUserId, auditActor, authorise } from "../policies/actor.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import {
  campaignForLetter,
  checkDraft,
  insertVersion,
  type LetterDraft,
  settingsColumns,
  slugTaken,
} from "../store/letter-rows.ts";

export type CreateLetterInput = { actor: Actor; draft: LetterDraft };

/**
 * Creates a draft letter with its first version, in one transaction: a letter never exists without the
 * text it was created with. It goes last in its campaign's order.
 */
export async function createLetter(
  deps: Pick<CommandDeps, "store">,
  input: CreateLetterInput,
  now: Date,
): Promise<{ id: number; slug: string; versionId: number }> {
  const { draft } = input;
  authorise(input.actor, "letter.edit", draft.campaignId);
  const at = now.toISOString();
  return deps.store.db.transaction().execute(async (trx) => {
    const campaign = await campaignForLetter(trx, draft.campaignId);
    checkDraft(draft);
    if (await slugTaken(trx, draft.slug)) throw new AppError("validation", {}, { slug: "letters.slugTaken" });
    const { id } = await trx
      .insertInto("letters")
      .values({
        ...settingsColumns(draft),
        position: campaign.nextPosition,
        state: "draft",
        publisher_logo_upload_id: null,
        private_token_hash: null,
        current_version_id: null,
        created_at: at,
        updated_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const versionId = await insertVersion(trx, id, 1, draft, { at, by: actorUserId(input.actor) });
    await trx.updateTable("letters").set({ current_version_id: versionId }).where("id", "=", id).execute();
    await recordAudit(
      trx,
      {
        actor: auditActor(input.actor),
        action: "letter.create",
        subjectType: "letter",
        subjectId: id,
        campaignId: campaign.id,
        letterId: id,
        detail: { slug: draft.slug, languages: draft.translations.map((t) => t.language).join(",") },
      },
      now,
    );
    return { id, slug: draft.slug, versionId };
  });
}
