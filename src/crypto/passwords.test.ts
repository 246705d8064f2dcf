import { describe, expect, it } from "vitest";
import { hashPassword, verifyAgainstDecoy, verifyPassword } from "./passwords.ts";

describe("passwords", () => {
  it("hashes with argon2id at the chosen cost and verifies only the right password", async () => {
    const hash = await hashPassword("a long passphrase in Burmese မြန်မာ");
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(hash).not.toContain("passphrase");
    expect(await verifyPassword(hash, "a long passphrase in Burmese မြန်မာ")).toBe(true);
    expect(await verifyPassword(hash, "a long passphrase in burmese မြန်မာ")).toBe(false);
  });

  it("salts every hash", async () => {
    expect(await hashPassword("same password")).not.toBe(await hashPassword("same password"));
  });

  it("treats a malformed stored hash as a wrong password", async () => {
    expect(await verifyPassword("not a hash", "anything")).toBe(false);
  });

  it("spends comparable time on the decoy as on a real check", async () => {
    const hash = await hashPassword("decoy timing check");
    await verifyAgainstDecoy("warm-up");
    const time = async (fn: () => Promise<unknown>) => {
      const t0 = performance.now();
      await fn();
      return performance.now() - t0;
    };
    const real = await time(() => verifyPassword(hash, "wrong"));
    const decoy = await time(() => verifyAgainstDecoy("wrong"));
    // Generous bounds: the point is that the decoy does argon2 work, not that timings are exact.
    expect(decoy).toBeGreaterThan(real / 4);
  });
});
