import type { Kysely } from "kysely";
import { totpUri } from "../crypto/totp.ts";
import type { Database } from "../store/schema.ts";

export type TotpState =
  | { kind: "off" }
  /** A secret was generated but no code from the app has confirmed it yet. */
  | { kind: "pending"; secret: string; uri: string }
  | { kind: "on"; recoveryCodesLeft: number };

/**
 * Where a user's two-factor authentication stands, for the security page. A pending secret is shown again
 * until confirmed, so a person interrupted while setting up the app can carry on. The issuer names this
 * server, so several servers' entries can be told apart in one authenticator app.
 */
export async function getTotpState(
  db: Kysely<Database>,
  userId: number,
  serverHost: string,
): Promise<TotpState> {
  const user = await db
    .selectFrom("users")
    .select(["email", "totp_secret", "totp_enabled_at", "recovery_codes"])
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  if (user.totp_enabled_at) {
    return { kind: "on", recoveryCodesLeft: (JSON.parse(user.recovery_codes ?? "[]") as string[]).length };
  }
  if (user.totp_secret) {
    return {
      kind: "pending",
      secret: user.totp_secret,
      uri: totpUri(user.totp_secret, `Undersigned (${serverHost})`, user.email),
    };
  }
  return { kind: "off" };
}
