import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { issueToken } from "../store/one-time-tokens.ts";
import { hasAnyUser } from "../store/users.ts";

export const SETUP_LINK_TTL_MS = 24 * 60 * 60 * 1000;
/** Until when the waiting set-up link is valid: the one slot several processes agree on. */
export const SETUP_LINK_SETTING = "setup_link_until";

export type SetupLinkResult =
  | { outcome: "created"; link: string; until: string }
  /** Another process (or an earlier start) printed a link that still works; it is not replaced. */
  | { outcome: "waiting"; until: string }
  /** An account exists: there is nothing to set up. */
  | { outcome: "not_needed" };

/**
 * While the server has no account yet, issues the one-time link that creates its owner. One link is valid at
 * a time: every app process runs this at start, and a process that finds a link still waiting says so
 * rather than printing a new one, which would kill the link another process printed (several processes on
 * PostgreSQL start together; a restart must not void a link the operator is about to open). `replace`
 * (the `setup-link` CLI command, for a link that was lost) issues a new one whatever is waiting.
 *
 * The slot is a settings row written before anything is read, so concurrent processes queue on it: the
 * conditional upsert succeeds for one of them only, on either database.
 */
export async function createSetupLink(
  deps: CommandDeps,
  input: { actor: "system" | "cli"; replace?: boolean },
  now: Date,
): Promise<SetupLinkResult> {
  const { db } = deps.store;
  if (await hasAnyUser(db)) return { outcome: "not_needed" };
  const at = now.toISOString();
  const until = new Date(now.getTime() + SETUP_LINK_TTL_MS).toISOString();
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto("settings")
      .values({ key: SETUP_LINK_SETTING, value: until, updated_at: at })
      .onConflict((oc) => {
        const update = oc.column("key").doUpdateSet({ value: until, updated_at: at });
        return input.replace ? update : update.where("settings.value", "<=", at);
      })
      .returning("key")
      .executeTakeFirst();
    if (await hasAnyUser(trx)) return { outcome: "not_needed" };
    if (!claimed) {
      const waiting = await trx
        .selectFrom("settings")
        .select("value")
        .where("key", "=", SETUP_LINK_SETTING)
        .executeTakeFirstOrThrow();
      return { outcome: "waiting", until: waiting.value };
    }
    const { id, token } = await issueToken(trx, { purpose: "setup", ttlMs: SETUP_LINK_TTL_MS }, now);
    await recordAudit(
      trx,
      { actor: input.actor, action: "user.setup_link_created", subjectType: "one_time_token", subjectId: id },
      now,
    );
    return { outcome: "created", link: `${deps.config.baseUrl}/admin/setup/${token}`, until };
  });
}

/** What a process that finds a link waiting tells the operator, and how to get a new one if it was lost. */
export function setupLinkWaiting(until: string): string {
  return `A set-up link for the first coordinator is already waiting (valid until ${until.slice(0, 16).replace("T", " ")} UTC): it is in the output of the process that printed it. If it is lost, \`npx undersigned setup-link\` prints a new one and the old one stops working.`;
}
