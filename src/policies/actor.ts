import { AppError } from "../domain/app-error.ts";
import type { CampaignRoles, Role } from "../domain/roles.ts";
import { type CampaignAction, can, isCampaignAction, type ServerAction } from "./policy.ts";

/*
 * Who runs a command. A signed-in console user is authorised by the policy table, with the campaign roles
 * loaded with their session; the command line is run by the operator, who holds the database itself, so it
 * passes every check and is audited as "cli".
 */
export type Actor = { userId: number; role: Role; label: string; campaigns: CampaignRoles } | "cli";

/** Throws forbidden unless the actor may take the action (in that campaign, for a campaign action). */
export function authorise(actor: Actor, action: ServerAction): void;
export function authorise(actor: Actor, action: CampaignAction, campaignId: number): void;
export function authorise(actor: Actor, action: ServerAction | CampaignAction, campaignId?: number): void {
  if (actor === "cli") return;
  const allowed = isCampaignAction(action)
    ? campaignId !== undefined && can(actor, action, campaignId)
    : can(actor, action);
  if (!allowed) throw new AppError("forbidden");
}

export function auditActor(actor: Actor): { userId: number; label: string } | "cli" {
  return actor === "cli" ? "cli" : { userId: actor.userId, label: actor.label };
}

export function actorUserId(actor: Actor): number | null {
  return actor === "cli" ? null : actor.userId;
}
