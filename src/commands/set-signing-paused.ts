import { SIGNING_PAUSED_SETTING } from "../domain/sign-on-rules.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { getSetting, setSetting } from "../store/settings.ts";

export type SetSigningPausedResult = { outcome: "changed" | "unchanged"; paused: boolean };

/**
 * The operators' kill switch for every sign form on the server (a flood of fake endorsements, a key
 * compromise, an incident): while paused the form says so and submissions are refused, confirmation links
 * and everything already recorded keep working. Setting it to what it already is records nothing.
 */
export async function setSigningPaused(
  deps: Pick<CommandDeps, "store">,
  input: { actor: { userId: number; label: string }; paused: boolean },
  now: Date,
): Promise<SetSigningPausedResult> {
  return deps.store.db.transaction().execute(async (trx) => {
    const current = (await getSetting(trx, SIGNING_PAUSED_SETTING)) === "1";
    if (current === input.paused) return { outcome: "unchanged", paused: current };
    await setSetting(trx, SIGNING_PAUSED_SETTING, input.paused ? "1" : "0", now);
    await recordAudit(
      trx,
      {
        actor: input.actor,
        action: input.paused ? "settings.signing_paused" : "settings.signing_resumed",
        subjectType: "setting",
        detail: { key: SIGNING_PAUSED_SETTING },
      },
      now,
    );
    return { outcome: "changed", paused: input.paused };
  });
}
