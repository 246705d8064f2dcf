import { describe, expect, it } from "vitest";
import { auditAndLimitText, commandDeps, insertUser } from "../../test/accounts.ts";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { totpCode } from "../crypto/totp.ts";
import { translator } from "../i18n/index.ts";
import { SECOND_FACTOR_LIMIT } from "../store/second-factor.ts";
import { findLiveSession, sessionIdOf } from "../store/sessions.ts";
import { LOGIN_LIMITS, logIn } from "./log-in.ts";
import { logOut } from "./log-out.ts";
import { ALERT_AFTER_WRONG_CODES, verifySecondFactor } from "./verify-second-factor.ts";

const now = new Date("2026-03-01T09:00:00.000Z");
const later = (ms: number) => new Date(now.getTime() + ms);
const ip = "198.51.100.23";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`signing in on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    const deps = () => commandDeps(store.current(), store.dataDir());
    const auditOf = (userId: number) =>
      store
        .current()
        .db.selectFrom("audit_entries")
        .select(["action", "detail"])
        .where("subject_id", "=", userId)
        .orderBy("id")
        .execute();

    it("signs in with the right password, in any letter case of the address", async () => {
      const user = await insertUser(store.current());
      const result = await logIn(
        deps(),
        { email: user.email.toUpperCase(), password: user.password, ip },
        now,
      );
      expect(result).toMatchObject({ outcome: "signed_in", secondFactorRequired: false });
      if (result.outcome !== "signed_in") return;
      const session = await findLiveSession(store.current().db, sessionIdOf(result.sessionToken), now);
      expect(session).toMatchObject({ userId: user.id, secondFactorAt: now.toISOString() });
      expect((await auditOf(user.id)).map((a) => a.action)).toEqual(["user.login"]);
    });

    it("refuses a wrong password and an unknown address alike, auditing neither password nor address", async () => {
      const user = await insertUser(store.current());
      expect(await logIn(deps(), { email: user.email, password: "wrong password", ip }, now)).toEqual({
        outcome: "refused",
      });
      expect(
        await logIn(deps(), { email: "nobody@example.org", password: "wrong password", ip }, now),
      ).toEqual({
        outcome: "refused",
      });
      expect(await auditOf(user.id)).toEqual([
        { action: "user.login_failed", detail: '{"reason":"wrong_password"}' },
      ]);
      const written = await auditAndLimitText(store.current());
      expect(written).toContain("unknown_account");
      for (const secret of ["wrong password", "nobody@example.org", ip])
        expect(written).not.toContain(secret);
    });

    it("locks an account after too many attempts, from any address, until the window passes", async () => {
      const user = await insertUser(store.current());
      const { limit, windowMs } = LOGIN_LIMITS.perAccount;
      for (let i = 0; i < limit; i++) {
        const from = `203.0.113.${i}`;
        expect(
          await logIn(deps(), { email: user.email, password: "guess", ip: from }, later(i * 1000)),
        ).toEqual({
          outcome: "refused",
        });
      }
      const blocked = await logIn(deps(), { email: user.email, password: user.password, ip }, later(60_000));
      expect(blocked).toEqual({ outcome: "rate_limited", retryAfterMs: windowMs - 60_000 });
      const recovered = await logIn(
        deps(),
        { email: user.email, password: user.password, ip },
        later(windowMs),
      );
      expect(recovered.outcome).toBe("signed_in");
      expect((await auditOf(user.id)).at(-2)).toEqual({
        action: "user.login_failed",
        detail: '{"reason":"rate_limited"}',
      });
    });

    it("limits one client address across accounts", async () => {
      const from = "192.0.2.200";
      const { limit } = LOGIN_LIMITS.perClient;
      for (let i = 0; i < limit; i++) {
        await logIn(deps(), { email: `spray${i}@example.org`, password: "Password1", ip: from }, now);
      }
      const user = await insertUser(store.current());
      const result = await logIn(deps(), { email: user.email, password: user.password, ip: from }, now);
      expect(result.outcome).toBe("rate_limited");
      expect((await logIn(deps(), { email: user.email, password: user.password, ip }, now)).outcome).toBe(
        "signed_in",
      );
    });

    it("asks for the second factor and accepts a code computed from the secret, once", async () => {
      const user = await insertUser(store.current(), { totp: true });
      const first = await logIn(deps(), { email: user.email, password: user.password, ip }, now);
      expect(first).toMatchObject({ outcome: "signed_in", secondFactorRequired: true });
      if (first.outcome !== "signed_in") return;
      const sessionId = sessionIdOf(first.sessionToken);
      expect(await findLiveSession(store.current().db, sessionId, now)).toMatchObject({
        secondFactorAt: null,
      });

      const wrong = await verifySecondFactor(deps(), { sessionId, code: "000000" }, now);
      expect(wrong).toEqual({ outcome: "refused" });
      const code = totpCode(user.totpSecret!, now);
      expect(await verifySecondFactor(deps(), { sessionId, code }, now)).toEqual({ outcome: "verified" });
      expect(await findLiveSession(store.current().db, sessionId, now)).toMatchObject({
        secondFactorAt: now.toISOString(),
      });

      // The same code cannot open a second session, even within its 30 seconds.
      const second = await logIn(deps(), { email: user.email, password: user.password, ip }, later(5000));
      if (second.outcome !== "signed_in") throw new Error("expected the password step to pass");
      const replay = await verifySecondFactor(
        deps(),
        { sessionId: sessionIdOf(second.sessionToken), code },
        later(5000),
      );
      expect(replay).toEqual({ outcome: "refused" });
      const next = totpCode(user.totpSecret!, later(30_000));
      expect(
        await verifySecondFactor(
          deps(),
          { sessionId: sessionIdOf(second.sessionToken), code: next },
          later(30_000),
        ),
      ).toEqual({ outcome: "verified" });
      const written = await auditAndLimitText(store.current());
      expect(written).not.toContain(user.totpSecret!);
    });

    it("does not let a pending session expire into a full one", async () => {
      const user = await insertUser(store.current(), { totp: true });
      const result = await logIn(deps(), { email: user.email, password: user.password, ip }, now);
      if (result.outcome !== "signed_in") throw new Error("expected the password step to pass");
      const sessionId = sessionIdOf(result.sessionToken);
      const late = later(11 * 60_000);
      const code = totpCode(user.totpSecret!, late);
      expect(await verifySecondFactor(deps(), { sessionId, code }, late)).toEqual({
        outcome: "no_pending_session",
      });
    });

    it("accepts each recovery code once", async () => {
      const user = await insertUser(store.current(), { totp: true });
      const signIn = async () => {
        const r = await logIn(deps(), { email: user.email, password: user.password, ip }, now);
        if (r.outcome !== "signed_in") throw new Error("expected the password step to pass");
        return sessionIdOf(r.sessionToken);
      };
      const code = user.recoveryCodes![0]!;
      expect(await verifySecondFactor(deps(), { sessionId: await signIn(), code }, now)).toEqual({
        outcome: "verified",
      });
      expect(await verifySecondFactor(deps(), { sessionId: await signIn(), code }, now)).toEqual({
        outcome: "refused",
      });
      const row = await store
        .current()
        .db.selectFrom("users")
        .select("recovery_codes")
        .where("id", "=", user.id)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(row.recovery_codes!)).toHaveLength(9);
      expect(await auditAndLimitText(store.current())).not.toContain(code);
    });

    it("makes second-factor guessers wait longer as they go on, and mails the account holder once", async () => {
      const user = await insertUser(store.current(), { totp: true, locale: "my" });
      // A pending session lives minutes, not hours: the guesser signs in again with the password as needed.
      const sessions = new Map<number, string>();
      const guess = async (at: Date) => {
        if (!sessions.has(at.getTime())) {
          const signedIn = await logIn(deps(), { email: user.email, password: user.password, ip }, at);
          if (signedIn.outcome !== "signed_in") throw new Error("expected the password step to pass");
          sessions.set(at.getTime(), sessionIdOf(signedIn.sessionToken));
        }
        return verifySecondFactor(deps(), { sessionId: sessions.get(at.getTime())!, code: "000000" }, at);
      };
      const alerts = () =>
        store
          .current()
          .db.selectFrom("outbox_messages")
          .select(["subject", "text_body"])
          .where("to_address", "=", user.email)
          .where("purpose", "=", "second_factor_alert")
          .execute();
      const quarter = 15 * 60 * 1000;
      const hour = 4 * quarter;

      for (let i = 0; i < ALERT_AFTER_WRONG_CODES - 1; i++)
        expect((await guess(now)).outcome).toBe("refused");
      expect(await alerts()).toHaveLength(0);
      expect((await guess(now)).outcome).toBe("refused");
      const [alert] = await alerts();
      expect(alert!.subject).toBe(translator("my")("security.wrongCodesMailSubject"));
      expect(alert!.text_body).toContain("/admin/password/forgot");
      for (let i = ALERT_AFTER_WRONG_CODES; i < SECOND_FACTOR_LIMIT.limit; i++) await guess(now);
      expect(await alerts()).toHaveLength(1);

      // The quarter hour's allowance is spent: wait for the next quarter.
      expect(await guess(later(60_000))).toEqual({ outcome: "rate_limited", retryAfterMs: quarter - 60_000 });
      // The next quarter's allowance spends the hour's: now the wait is for the next hour, not the next quarter.
      for (let i = 0; i < 9; i++) expect((await guess(later(quarter))).outcome).toBe("refused");
      expect(await guess(later(2 * quarter))).toEqual({ outcome: "rate_limited", retryAfterMs: 2 * quarter });
      // The next hour's allowance spends the day's (30, refused guesses counted too: 21 so far): then the wait
      // is for the next day.
      for (let i = 0; i < 9; i++) expect((await guess(later(hour))).outcome).toBe("refused");
      expect(await guess(later(hour))).toEqual({ outcome: "rate_limited", retryAfterMs: 14 * hour });
      // One mail for the first hour's wrong codes, one for the second's: never one per guess.
      expect(await alerts()).toHaveLength(2);
    });

    it("limits second-factor guesses per account and lets them resume after the window", async () => {
      const user = await insertUser(store.current(), { totp: true });
      const r = await logIn(deps(), { email: user.email, password: user.password, ip }, now);
      if (r.outcome !== "signed_in") throw new Error("expected the password step to pass");
      const sessionId = sessionIdOf(r.sessionToken);
      for (let i = 0; i < SECOND_FACTOR_LIMIT.limit; i++) {
        await verifySecondFactor(deps(), { sessionId, code: "000000" }, now);
      }
      const code = totpCode(user.totpSecret!, later(60_000));
      const blocked = await verifySecondFactor(deps(), { sessionId, code }, later(60_000));
      expect(blocked.outcome).toBe("rate_limited");
      const fresh = await logIn(
        deps(),
        { email: user.email, password: user.password, ip },
        later(SECOND_FACTOR_LIMIT.windowMs),
      );
      if (fresh.outcome !== "signed_in") throw new Error("expected the password step to pass");
      const at = later(SECOND_FACTOR_LIMIT.windowMs);
      const verified = await verifySecondFactor(
        deps(),
        { sessionId: sessionIdOf(fresh.sessionToken), code: totpCode(user.totpSecret!, at) },
        at,
      );
      expect(verified).toEqual({ outcome: "verified" });
    });

    it("ends the session on the server at sign-out, audited", async () => {
      const user = await insertUser(store.current());
      const r = await logIn(deps(), { email: user.email, password: user.password, ip }, now);
      if (r.outcome !== "signed_in") throw new Error("expected sign-in");
      const sessionId = sessionIdOf(r.sessionToken);
      await logOut(deps(), { sessionId }, now);
      expect(await findLiveSession(store.current().db, sessionId, now)).toBeUndefined();
      expect((await auditOf(user.id)).at(-1)).toMatchObject({ action: "user.logout" });
    });
  });
}
