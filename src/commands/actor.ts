import { AppError } from "../domain/app-error.ts";
import { type Action, can } from "../policies/policy.ts";
import type { AuditEntry } from "../store/audit.ts";
import type { Role } from "../store/schema.ts";

/*
 * Who runs a command. A signed-in console user is authorised by the policy table; the command line is run
 * by the operator, who holds the database itself, so it passes every check and is audited as "cli".
 */
export type Actor = { userId: number; role: Role; label: string } | "cli";

/** Throws forbidden unless the actor may take the action. */
export function authorise(actor: Actor, action: Action): void {
  if (actor !== "cli" && !can(actor, action)) throw new AppError("forbidden");
}

export function auditActor(actor: Actor): AuditEntry["actor"] {
  return actor === "cli" ? "cli" : { userId: actor.userId, label: actor.label };
}

export function actorUserId(actor: Actor): number | null {
  return actor === "cli" ? null : actor.userId;
}
