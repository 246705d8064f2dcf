import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { issueToken } from "../store/one-time-tokens.ts";
import { hasAnyUser } from "../store/users.ts";

export const SETUP_LINK_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * While the server has no account yet, issues the one-time link that creates its owner, and returns it;
 * undefined once an account exists. Each call replaces the previous link, so only the one printed last
 * (on the latest start) works.
 */
export async function createSetupLink(
  deps: CommandDeps,
  input: { actor: "system" | "cli" },
  now: Date,
): Promise<string | undefined> {
  return deps.store.db.transaction().execute(async (trx) => {
    if (await hasAnyUser(trx)) return undefined;
    const { id, token } = await issueToken(trx, { purpose: "setup", ttlMs: SETUP_LINK_TTL_MS }, now);
    await recordAudit(
      trx,
      { actor: input.actor, action: "user.setup_link_created", subjectType: "one_time_token", subjectId: id },
      now,
    );
    return `${deps.config.baseUrl}/admin/setup/${token}`;
  });
}
