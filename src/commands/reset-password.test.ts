import { describe, expect, it } from "vitest";
import { auditAndLimitText, commandDeps, insertUser } from "../../test/accounts.ts";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { verifyPassword } from "../crypto/passwords.ts";
import type { AppError } from "../domain/app-error.ts";
import { findLiveSession, sessionIdOf } from "../store/sessions.ts";
import { logIn } from "./log-in.ts";
import { RESET_LIMITS, requestPasswordReset } from "./request-password-reset.ts";
import { resetPassword } from "./reset-password.ts";

const now = new Date("2026-03-01T09:00:00.000Z");
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);
const ip = "192.0.2.44";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`password reset on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    const deps = () => commandDeps(store.current(), store.dataDir());
    const mailsTo = (address: string) =>
      store
        .current()
        .db.selectFrom("outbox_messages")
        .selectAll()
        .where("to_address", "=", address)
        .orderBy("id")
        .execute();
    const tokenIn = (text: string) => /\/admin\/password\/reset\/([A-Za-z0-9_-]{43})/.exec(text)![1]!;

    it("mails a link in the account's language, and nothing for an unknown address", async () => {
      const user = await insertUser(store.current(), { locale: "my" });
      await requestPasswordReset(deps(), { email: ` ${user.email.toUpperCase()}`, ip }, now);
      await requestPasswordReset(deps(), { email: "nobody@example.org", ip }, now);
      const [mail] = await mailsTo(user.email);
      expect(mail).toMatchObject({ purpose: "password_reset", subject: "သင့် Undersigned စကားဝှက်ကို ပြန်သတ်မှတ်ရန်" });
      expect(mail!.text_body).toContain("https://letters.example.org/admin/password/reset/");
      expect(await mailsTo("nobody@example.org")).toEqual([]);
      const written = await auditAndLimitText(store.current());
      expect(written).not.toContain("nobody@example.org");
      expect(written).not.toContain(tokenIn(mail!.text_body));
    });

    it("sets the new password once, ends every session, and expires after an hour", async () => {
      const user = await insertUser(store.current());
      const signedIn = await logIn(deps(), { email: user.email, password: user.password, ip }, now);
      if (signedIn.outcome !== "signed_in") throw new Error("expected sign-in");

      await requestPasswordReset(deps(), { email: user.email, ip }, now);
      const token = tokenIn((await mailsTo(user.email))[0]!.text_body);
      await resetPassword(
        deps(),
        { ip: "192.0.2.7", token, password: "a brand new passphrase" },
        minutes(59),
      );

      const row = await store
        .current()
        .db.selectFrom("users")
        .select("password_hash")
        .where("id", "=", user.id)
        .executeTakeFirstOrThrow();
      expect(await verifyPassword(row.password_hash, "a brand new passphrase")).toBe(true);
      expect(
        await findLiveSession(store.current().db, sessionIdOf(signedIn.sessionToken), minutes(59)),
      ).toBeUndefined();
      const reuse = await resetPassword(
        deps(),
        { ip: "192.0.2.7", token, password: "another passphrase!" },
        minutes(59),
      ).catch((e) => e);
      expect((reuse as AppError).code).toBe("token_invalid");

      await requestPasswordReset(deps(), { email: user.email, ip }, minutes(60));
      const late = tokenIn((await mailsTo(user.email))[1]!.text_body);
      const expired = await resetPassword(
        deps(),
        { ip: "192.0.2.7", token: late, password: "too late passphrase" },
        minutes(120),
      ).catch((e) => e);
      expect((expired as AppError).code).toBe("token_invalid");

      const audit = await store
        .current()
        .db.selectFrom("audit_entries")
        .select(["action", "detail"])
        .where("subject_id", "=", user.id)
        .execute();
      expect(audit).toContainEqual({ action: "user.password_reset", detail: '{"sessions_ended":1}' });
      const written = await auditAndLimitText(store.current());
      for (const secret of ["a brand new passphrase", token, late]) expect(written).not.toContain(secret);
    });

    it("keeps only the newest link working", async () => {
      const user = await insertUser(store.current());
      await requestPasswordReset(deps(), { email: user.email, ip }, now);
      await requestPasswordReset(deps(), { email: user.email, ip }, minutes(1));
      const [older, newer] = (await mailsTo(user.email)).map((m) => tokenIn(m.text_body));
      const refused = await resetPassword(
        deps(),
        { ip, token: older!, password: "older link passphrase" },
        minutes(2),
      ).catch((e) => e);
      expect((refused as AppError).code).toBe("token_invalid");
      await expect(
        resetPassword(deps(), { ip, token: newer!, password: "newer link passphrase" }, minutes(2)),
      ).resolves.toBeUndefined();
    });

    it("stops mailing an address after a few requests an hour", async () => {
      const user = await insertUser(store.current());
      for (let i = 0; i < RESET_LIMITS.perAccount.limit + 2; i++) {
        await requestPasswordReset(deps(), { email: user.email, ip: `203.0.113.${i}` }, minutes(i));
      }
      expect(await mailsTo(user.email)).toHaveLength(RESET_LIMITS.perAccount.limit);
    });
  });
}
