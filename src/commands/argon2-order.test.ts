import { describe, expect, it } from "vitest";
import { commandDeps, insertUser } from "../../test/accounts.ts";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { argon2Computations } from "../crypto/passwords.ts";
import { AppError } from "../domain/app-error.ts";
import { TOKEN_POST_LIMIT } from "../store/token-posts.ts";
import { createOwner } from "./create-owner.ts";
import { LOGIN_LIMITS, logIn } from "./log-in.ts";
import { resetPassword } from "./reset-password.ts";

const now = new Date("2026-03-01T09:00:00.000Z");
const ip = "203.0.113.40";

/** The code of what `work` throws. */
const codeOf = (work: Promise<unknown>) =>
  work.then(
    () => "resolved",
    (e: unknown) => (e instanceof AppError ? e.code : String(e)),
  );

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`argon2 only after limits and link checks on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    const deps = () => commandDeps(store.current(), store.dataDir());

    it("spends no argon2 computation on a sign-in from a client over its limit", async () => {
      const user = await insertUser(store.current());
      for (let i = 0; i < LOGIN_LIMITS.perClient.limit; i++) {
        const email = `nobody${i}@example.org`;
        expect((await logIn(deps(), { email, password: "wrong", ip }, now)).outcome).toBe("refused");
      }
      const before = argon2Computations();
      const limited = await logIn(deps(), { email: user.email, password: user.password, ip }, now);
      expect(limited.outcome).toBe("rate_limited");
      expect(argon2Computations()).toBe(before);
    });

    it("checks a reset or set-up link, and the client's allowance of posts, before hashing", async () => {
      const before = argon2Computations();
      expect(
        await codeOf(resetPassword(deps(), { token: "no-such-link", password: "x".repeat(20), ip }, now)),
      ).toBe("token_invalid");
      const owner = { name: "O", email: "o@example.org", password: "y".repeat(20), locale: "en" as const };
      expect(await codeOf(createOwner(deps(), { ...owner, token: "no-such-link", ip }, now))).toBe(
        "token_invalid",
      );
      expect(argon2Computations()).toBe(before);

      const flooder = "203.0.113.99";
      for (let i = 0; i < TOKEN_POST_LIMIT.limit; i++)
        await codeOf(
          resetPassword(deps(), { token: `guess-${i}`, password: "z".repeat(20), ip: flooder }, now),
        );
      expect(
        await codeOf(
          resetPassword(deps(), { token: "guess-last", password: "z".repeat(20), ip: flooder }, now),
        ),
      ).toBe("rate_limited");
      // Another client is not held back by it.
      expect(
        await codeOf(resetPassword(deps(), { token: "x", password: "z".repeat(20), ip: "192.0.2.1" }, now)),
      ).toBe("token_invalid");
    });
  });
}
