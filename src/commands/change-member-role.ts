import { z } from "zod";
import { AppError } from "../domain/app-error.ts";
import { CAMPAIGN_ROLES } from "../domain/roles.ts";
import { type Actor, actorUserId, auditActor, authorise } from "../policies/actor.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { memberRole, setMembership } from "../store/memberships.ts";

const roleSchema = z.enum(CAMPAIGN_ROLES);

/**
 * Gives a member of a campaign another role there. One's own role is not changed here (a coordinator
 * demoting themselves by a slip would lock themselves out of the team page); another coordinator or an
 * owner does it.
 */
export async function changeMemberRole(
  deps: Pick<CommandDeps, "store">,
  input: { actor: Actor; campaignId: number; userId: number; role: unknown },
  now: Date,
): Promise<{ changed: boolean }> {
  authorise(input.actor, "team.manage", input.campaignId);
  const role = roleSchema.safeParse(input.role);
  if (!role.success) throw new AppError("validation");
  if (actorUserId(input.actor) === input.userId) throw new AppError("invalid_state");
  return deps.store.db.transaction().execute(async (trx) => {
    const before = await memberRole(trx, input.campaignId, input.userId);
    if (!before) throw new AppError("not_found");
    if (before === role.data) return { changed: false };
    await setMembership(trx, { campaignId: input.campaignId, userId: input.userId, role: role.data }, now);
    await recordAudit(
      trx,
      {
        actor: auditActor(input.actor),
        action: "team.role_changed",
        subjectType: "user",
        subjectId: input.userId,
        campaignId: input.campaignId,
        detail: { from: before, to: role.data },
      },
      now,
    );
    return { changed: true };
  });
}
