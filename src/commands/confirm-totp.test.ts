import { describe, expect, it } from "vitest";
import { auditAndLimitText, commandDeps, insertUser } from "../../test/accounts.ts";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { totpCode } from "../crypto/totp.ts";
import { AppError } from "../domain/app-error.ts";
import { sessionIdOf } from "../store/sessions.ts";
import { confirmTotp } from "./confirm-totp.ts";
import { disableTotp } from "./disable-totp.ts";
import { enrolTotp } from "./enrol-totp.ts";
import { logIn } from "./log-in.ts";
import { verifySecondFactor } from "./verify-second-factor.ts";

const now = new Date("2026-03-01T09:00:00.000Z");
const later = (ms: number) => new Date(now.getTime() + ms);

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`two-factor authentication on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    const deps = () => commandDeps(store.current(), store.dataDir());
    const userRow = (id: number) =>
      store.current().db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

    it("enrols, confirms with a code from the secret, returns ten codes, and then asks for it at sign-in", async () => {
      const user = await insertUser(store.current());
      await enrolTotp(deps(), { userId: user.id }, now);
      const pending = await userRow(user.id);
      expect(pending.totp_secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(pending.totp_enabled_at).toBeNull();

      // An unconfirmed secret does not change sign-in yet.
      const before = await logIn(
        deps(),
        { email: user.email, password: user.password, ip: "192.0.2.1" },
        now,
      );
      expect(before).toMatchObject({ secondFactorRequired: false });

      expect(await confirmTotp(deps(), { userId: user.id, code: "123456" }, now)).toEqual({
        outcome: "refused",
      });
      const code = totpCode(pending.totp_secret!, now);
      const confirmed = await confirmTotp(deps(), { userId: user.id, code }, now);
      if (confirmed.outcome !== "enabled") throw new Error("expected the code to be accepted");
      expect(confirmed.recoveryCodes).toHaveLength(10);
      const enabled = await userRow(user.id);
      expect(enabled.totp_enabled_at).toBe(now.toISOString());
      expect(enabled.recovery_codes).not.toContain(confirmed.recoveryCodes[0]);

      const after = await logIn(
        deps(),
        { email: user.email, password: user.password, ip: "192.0.2.1" },
        later(1000),
      );
      if (after.outcome !== "signed_in") throw new Error("expected the password step to pass");
      expect(after.secondFactorRequired).toBe(true);
      // The code used to confirm is spent: it cannot also complete this sign-in.
      const sessionId = sessionIdOf(after.sessionToken);
      expect(await verifySecondFactor(deps(), { sessionId, code }, later(1000))).toEqual({
        outcome: "refused",
      });

      const written = await auditAndLimitText(store.current());
      for (const secret of [pending.totp_secret!, ...confirmed.recoveryCodes])
        expect(written).not.toContain(secret);
    });

    it("refuses to enrol twice or to confirm without enrolling", async () => {
      const user = await insertUser(store.current(), { totp: true });
      const twice = await enrolTotp(deps(), { userId: user.id }, now).catch((e) => e);
      expect((twice as AppError).code).toBe("invalid_state");
      const plain = await insertUser(store.current());
      const early = await confirmTotp(deps(), { userId: plain.id, code: "123456" }, now).catch((e) => e);
      expect(early).toBeInstanceOf(AppError);
      expect((early as AppError).code).toBe("invalid_state");
    });

    it("turns off only with the password or a current code", async () => {
      const user = await insertUser(store.current(), { totp: true });
      expect(await disableTotp(deps(), { userId: user.id, password: "not it" }, now)).toEqual({
        outcome: "refused",
      });
      expect(await disableTotp(deps(), { userId: user.id, code: "000000" }, now)).toEqual({
        outcome: "refused",
      });
      expect(await disableTotp(deps(), { userId: user.id }, now)).toEqual({ outcome: "refused" });
      expect((await userRow(user.id)).totp_enabled_at).not.toBeNull();

      const code = totpCode(user.totpSecret!, now);
      expect(await disableTotp(deps(), { userId: user.id, code }, now)).toEqual({ outcome: "disabled" });
      expect(await userRow(user.id)).toMatchObject({
        totp_secret: null,
        totp_enabled_at: null,
        recovery_codes: null,
      });

      const other = await insertUser(store.current(), { totp: true });
      expect(await disableTotp(deps(), { userId: other.id, password: other.password }, now)).toEqual({
        outcome: "disabled",
      });
      const actions = await store
        .current()
        .db.selectFrom("audit_entries")
        .select(["subject_id", "action", "detail"])
        .where("action", "like", "user.totp_disable%")
        .orderBy("id")
        .execute();
      expect(actions.map((a) => a.action)).toEqual([
        "user.totp_disable_failed",
        "user.totp_disable_failed",
        "user.totp_disable_failed",
        "user.totp_disabled",
        "user.totp_disabled",
      ]);
      expect(await auditAndLimitText(store.current())).not.toContain(other.password);
    });
  });
}
