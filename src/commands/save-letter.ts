import { privateSignOnTokenHash, randomToken } from "../crypto/tokens.ts";
import { AppError } from "../domain/app-error.ts";
import { letterContentHash } from "../domain/letter-content-hash.ts";
import { type Actor, actorUserId, auditActor, authorise } from "../policies/actor.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { letterChanged } from "../store/letter-changes.ts";
import {
  campaignForLetter,
  checkDraft,
  insertTranslations,
  insertVersion,
  type LetterDraft,
  settingsColumns,
  slugTaken,
} from "../store/letter-rows.ts";

export type SaveLetterInput = {
  actor: Actor;
  letterId: number;
  draft: LetterDraft;
  /** The letter's updated_at when the editor was opened; a later save by someone else is a conflict. */
  expectedUpdatedAt?: string | undefined;
  /** "new" replaces the private sign-on link (the old one stops working); "remove" withdraws it. */
  privateLink?: "keep" | "new" | "remove";
  removeLogo?: boolean;
};

export type SaveLetterResult =
  | { outcome: "unchanged"; versionNumber: number }
  | {
      outcome: "saved";
      versionNumber: number;
      /** True when the save made a new version because the previous one had been endorsed. */
      newVersion: boolean;
      updatedAt: string;
      /** The new private sign-on token: returned this once and stored only as a hash. */
      privateLinkToken?: string;
    };

/**
 * Saves a letter's settings and content. Signatories endorse a version: while nobody has endorsed the
 * current version its text is corrected in place, but once someone has, changed content becomes a new
 * version and the endorsed text stays exactly as it was signed. A save that changes nothing writes nothing,
 * not even an audit entry, so pressing "save" twice is harmless.
 */
export async function saveLetter(
  deps: Pick<CommandDeps, "store">,
  input: SaveLetterInput,
  now: Date,
): Promise<SaveLetterResult> {
  const { draft } = input;
  const at = now.toISOString();
  const { store } = deps;
  const result = await store.db.transaction().execute(async (trx) => {
    const letter = await trx
      .selectFrom("letters")
      .innerJoin("letter_versions", "letter_versions.id", "letters.current_version_id")
      .selectAll("letters")
      .select([
        "letter_versions.number as version_number",
        "letter_versions.content_hash",
        "letter_versions.letter_date",
      ])
      .where("letters.id", "=", input.letterId)
      // Two co-drafters saving at once on PostgreSQL: the second waits, then sees the first one's save.
      .$if(store.dialect === "postgres", (q) => q.forUpdate("letters"))
      .executeTakeFirst();
    if (!letter) throw new AppError("not_found");
    // Moving a letter to another campaign takes the right to edit letters in both.
    authorise(input.actor, "letter.edit", letter.campaign_id);
    authorise(input.actor, "letter.edit", draft.campaignId);
    if (input.expectedUpdatedAt !== undefined && input.expectedUpdatedAt !== letter.updated_at)
      throw new AppError("conflict");
    const versionId = letter.current_version_id!;

    const moving = draft.campaignId !== letter.campaign_id;
    if (moving) {
      // Its endorsements are sealed to this campaign's key: in another campaign nobody could open them.
      const endorsed = await trx
        .selectFrom("signatures")
        .select("id")
        .where("letter_id", "=", letter.id)
        .limit(1)
        .executeTakeFirst();
      if (endorsed) throw new AppError("validation", {}, { campaign: "letters.campaignLockedEndorsed" });
    }
    const campaign = moving
      ? await campaignForLetter(trx, draft.campaignId)
      : { id: letter.campaign_id, nextPosition: letter.position };
    checkDraft(draft);
    if (draft.slug !== letter.slug) {
      // Once the letter has left the draft its address is in circulation (private link, public page).
      if (letter.state !== "draft") throw new AppError("validation", {}, { slug: "letters.slugLocked" });
      if (await slugTaken(trx, draft.slug, letter.id))
        throw new AppError("validation", {}, { slug: "letters.slugTaken" });
    }

    const contentHash = letterContentHash({ letterDate: draft.letterDate, translations: draft.translations });
    const contentChanged = contentHash !== letter.content_hash;
    const columns = settingsColumns(draft);
    const settingsChanged =
      (Object.keys(columns) as (keyof typeof columns)[]).some((key) => columns[key] !== letter[key]) ||
      campaign.nextPosition !== letter.position;
    const privateLink = input.privateLink ?? "keep";
    const linkChanges =
      privateLink === "new" || (privateLink === "remove" && letter.private_token_hash !== null);
    const logoChanges = input.removeLogo === true && letter.publisher_logo_upload_id !== null;
    if (!contentChanged && !settingsChanged && !linkChanges && !logoChanges)
      return { outcome: "unchanged", versionNumber: letter.version_number } as const;

    let versionNumber = letter.version_number;
    let newVersion = false;
    let currentVersionId = versionId;
    if (contentChanged) {
      const endorsed = await trx
        .selectFrom("signatures")
        .select("id")
        .where("version_id", "=", versionId)
        .limit(1)
        .executeTakeFirst();
      if (endorsed) {
        newVersion = true;
        versionNumber = letter.version_number + 1;
        const by = actorUserId(input.actor);
        currentVersionId = await insertVersion(trx, letter.id, versionNumber, draft, { at, by });
      } else {
        await trx
          .updateTable("letter_versions")
          .set({ content_hash: contentHash, letter_date: draft.letterDate })
          .where("id", "=", versionId)
          .execute();
        await trx.deleteFrom("letter_translations").where("version_id", "=", versionId).execute();
        await insertTranslations(trx, versionId, draft.translations);
      }
    }

    const privateLinkToken = privateLink === "new" ? randomToken() : undefined;
    await trx
      .updateTable("letters")
      .set({
        ...columns,
        position: campaign.nextPosition,
        current_version_id: currentVersionId,
        updated_at: at,
        ...(privateLink === "new" ? { private_token_hash: privateSignOnTokenHash(privateLinkToken!) } : {}),
        ...(privateLink === "remove" ? { private_token_hash: null } : {}),
        ...(input.removeLogo ? { publisher_logo_upload_id: null } : {}),
      })
      .where("id", "=", letter.id)
      .execute();
    await recordAudit(
      trx,
      {
        actor: auditActor(input.actor),
        action: "letter.save",
        subjectType: "letter",
        subjectId: letter.id,
        campaignId: draft.campaignId,
        letterId: letter.id,
        detail: {
          version: versionNumber,
          new_version: newVersion,
          content_changed: contentChanged,
          settings_changed: settingsChanged,
          private_link: privateLink,
          ...(logoChanges ? { logo: "removed" } : {}),
        },
      },
      now,
    );
    return {
      outcome: "saved",
      versionNumber,
      newVersion,
      updatedAt: at,
      ...(privateLinkToken ? { privateLinkToken } : {}),
    } as const;
  });
  // After the commit, so the public page rebuilt next already shows the change.
  letterChanged(input.letterId);
  return result;
}
