import { loadConfig } from "../src/config.ts";
import { hashPassword } from "../src/crypto/passwords.ts";
import { generateRecoveryCodes, generateTotpSecret, hashRecoveryCode } from "../src/crypto/totp.ts";
import type { Role } from "../src/domain/roles.ts";
import type { Store } from "../src/store/db.ts";
import type { CommandDeps } from "../src/store/deps.ts";

/** Command dependencies for tests, with the same fixed secret as buildTestApp. */
export function commandDeps(store: Store, dataDir: string, env: Record<string, string> = {}): CommandDeps {
  return {
    store,
    config: loadConfig({ DATA_DIR: dataDir, BASE_URL: "https://letters.example.org", ...env }),
    secret: "test-secret-test-secret-test-secret-00",
  };
}

export type TestUser = {
  id: number;
  email: string;
  password: string;
  totpSecret?: string;
  recoveryCodes?: string[];
};

let counter = 0;

/**
 * Inserts an account directly, the way a later "invite" command would, so tests of sign-in do not depend
 * on the set-up flow. `totp: true` gives it an enabled authenticator and ten recovery codes.
 */
export async function insertUser(
  store: Store,
  options: {
    role?: Role;
    totp?: boolean;
    locale?: string;
    email?: string;
    /** Campaigns the account belongs to, with its role as its role there. */
    campaigns?: readonly number[];
  } = {},
): Promise<TestUser> {
  counter += 1;
  const email = options.email ?? `coordinator${counter}-${process.pid}@example.org`;
  const password = `correct horse battery ${counter}`;
  const totpSecret = options.totp ? generateTotpSecret() : undefined;
  const recoveryCodes = options.totp ? generateRecoveryCodes() : undefined;
  const at = "2026-01-01T00:00:00.000Z";
  const row = await store.db
    .insertInto("users")
    .values({
      email,
      name: `Test Coordinator ${counter}`,
      password_hash: await hashPassword(password),
      role: options.role ?? "coordinator",
      locale: options.locale ?? "en",
      totp_secret: totpSecret ?? null,
      totp_enabled_at: totpSecret ? at : null,
      recovery_codes: recoveryCodes ? JSON.stringify(recoveryCodes.map(hashRecoveryCode)) : null,
      created_at: at,
      updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (const campaignId of options.campaigns ?? [])
    await addMember(store, { campaignId, userId: row.id, role: options.role ?? "coordinator" });
  return { id: row.id, email, password, totpSecret, recoveryCodes };
}

/** Puts an account in a campaign with a role, as an accepted invitation would. */
export async function addMember(
  store: Store,
  member: { campaignId: number; userId: number; role: Role },
): Promise<void> {
  await store.db
    .insertInto("campaign_members")
    .values({
      campaign_id: member.campaignId,
      user_id: member.userId,
      role: member.role,
      created_at: "2026-01-01T00:00:00.000Z",
    })
    .execute();
}

/** Every audit entry and rate-limit key as one string, to prove no secret was written there. */
export async function auditAndLimitText(store: Store): Promise<string> {
  const audit = await store.db.selectFrom("audit_entries").selectAll().execute();
  const limits = await store.db.selectFrom("rate_limits").selectAll().execute();
  return JSON.stringify([audit, limits]);
}
