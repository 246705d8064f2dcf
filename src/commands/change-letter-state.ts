import { AppError } from "../domain/app-error.ts";
import type { LetterState } from "../domain/letter-states.ts";
import { checkTransition, type LetterTransition } from "../domain/letter-states.ts";
import { openSignOnBlocker, SIGN_ON_STATES } from "../domain/sign-on-rules.ts";
import { type Actor, auditActor, authorise } from "../policies/actor.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { letterChanged } from "../store/letter-changes.ts";

export type ChangeLetterStateInput = { actor: Actor; letterId: number; transition: LetterTransition };

export type ChangeLetterStateResult = { changed: boolean; state: LetterState };

/**
 * Moves a letter along draft → collecting → published → closed → archived (letter-states.ts decides what is
 * allowed). Publishing stamps published_at and, unless the coordinators set one, today's publication date.
 * A transition already made changes nothing and is not audited again; an illegal one is invalid_state.
 */
export async function changeLetterState(
  deps: Pick<CommandDeps, "store">,
  input: ChangeLetterStateInput,
  now: Date,
): Promise<ChangeLetterStateResult> {
  const at = now.toISOString();
  const { store } = deps;
  const result = await store.db.transaction().execute(async (trx) => {
    const letter = await trx
      .selectFrom("letters")
      .innerJoin("campaigns", "campaigns.id", "letters.campaign_id")
      .select([
        "letters.id",
        "letters.state",
        "letters.campaign_id",
        "letters.publication_date",
        "campaigns.public_key",
        "campaigns.demo_key",
      ])
      .where("letters.id", "=", input.letterId)
      .$if(store.dialect === "postgres", (q) => q.forUpdate("letters"))
      .executeTakeFirst();
    if (!letter) throw new AppError("not_found");
    authorise(input.actor, "letter.publish", letter.campaign_id);
    const check = checkTransition(letter.state, input.transition);
    if (check.kind === "already") return { changed: false, state: letter.state };
    if (check.kind === "illegal") throw new AppError("invalid_state");
    // Every endorsement's contact is sealed to the campaign's key: no real key, no sign-on (sign-on-rules.ts).
    const blocker = SIGN_ON_STATES.includes(check.to)
      ? openSignOnBlocker({ publicKey: letter.public_key, demoKey: letter.demo_key === 1 })
      : undefined;
    if (blocker === "needs_key") throw new AppError("invalid_state", {}, { state: "letters.needsKey" });
    if (blocker === "demo_key") throw new AppError("invalid_state", {}, { state: "letters.demoKeyNoSignOn" });

    await trx
      .updateTable("letters")
      .set({
        state: check.to,
        updated_at: at,
        ...(check.to === "published"
          ? { published_at: at, publication_date: letter.publication_date ?? at.slice(0, 10) }
          : {}),
        ...(check.to === "closed" ? { closed_at: at } : {}),
        ...(check.to === "archived" ? { archived_at: at } : {}),
      })
      .where("id", "=", letter.id)
      .execute();
    await recordAudit(
      trx,
      {
        actor: auditActor(input.actor),
        action: `letter.${input.transition}`,
        subjectType: "letter",
        subjectId: letter.id,
        campaignId: letter.campaign_id,
        letterId: letter.id,
        detail: { from: letter.state, to: check.to },
      },
      now,
    );
    return { changed: true, state: check.to };
  });
  // After the commit, so the public page rebuilt next already shows the change.
  letterChanged(input.letterId);
  return result;
}
