import { generateTotpSecret } from "../crypto/totp.ts";
import { AppError } from "../domain/app-error.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { lockSecondFactor } from "../store/second-factor.ts";
import { actorOf } from "../store/users.ts";

/**
 * Starts adding an authenticator: stores a fresh secret that does nothing until confirm-totp proves the
 * app holds it. Starting again replaces a secret that was never confirmed.
 */
export async function enrolTotp(deps: CommandDeps, input: { userId: number }, now: Date): Promise<void> {
  await deps.store.db.transaction().execute(async (trx) => {
    const user = await lockSecondFactor(trx, deps.store.dialect, input.userId);
    if (!user) throw new AppError("unauthenticated");
    if (user.totp_enabled_at) throw new AppError("invalid_state");
    await trx
      .updateTable("users")
      .set({ totp_secret: generateTotpSecret(), recovery_codes: null, updated_at: now.toISOString() })
      .where("id", "=", user.id)
      .execute();
    await recordAudit(
      trx,
      {
        actor: actorOf(user),
        action: "user.totp_enrolment_started",
        subjectType: "user",
        subjectId: user.id,
      },
      now,
    );
  });
}
