import { AppError } from "../domain/app-error.ts";
import { type Actor, actorUserId, auditActor, authorise } from "../policies/actor.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { memberRole } from "../store/memberships.ts";

/**
 * Takes someone out of a campaign; their account stays, and so do their other campaigns. Their open pages
 * of this campaign stop working on the next request (roles are read with every request).
 */
export async function removeMember(
  deps: Pick<CommandDeps, "store">,
  input: { actor: Actor; campaignId: number; userId: number },
  now: Date,
): Promise<{ changed: boolean }> {
  authorise(input.actor, "team.manage", input.campaignId);
  if (actorUserId(input.actor) === input.userId) throw new AppError("invalid_state");
  return deps.store.db.transaction().execute(async (trx) => {
    const role = await memberRole(trx, input.campaignId, input.userId);
    if (!role) return { changed: false };
    await trx
      .deleteFrom("campaign_members")
      .where("campaign_id", "=", input.campaignId)
      .where("user_id", "=", input.userId)
      .execute();
    await recordAudit(
      trx,
      {
        actor: auditActor(input.actor),
        action: "team.member_removed",
        subjectType: "user",
        subjectId: input.userId,
        campaignId: input.campaignId,
        detail: { role },
      },
      now,
    );
    return { changed: true };
  });
}
