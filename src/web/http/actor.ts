import type { Actor } from "../../policies/actor.ts";
import type { SessionUser } from "../session.ts";

/** The signed-in console user as the actor of a command: authorised by their role and campaign roles. */
export function actorOf(user: SessionUser): Actor {
  return { userId: user.id, role: user.role, label: user.email, campaigns: user.campaigns };
}
