import { URI } from "otpauth";
import { describe, expect, it } from "vitest";
import {
  acceptTotpCode,
  generateRecoveryCodes,
  generateTotpSecret,
  hashRecoveryCode,
  spendRecoveryCode,
  totpCode,
  totpUri,
} from "./totp.ts";

const at = new Date("2026-03-01T09:00:10.000Z");
const steps = (n: number) => new Date(at.getTime() + n * 30_000);

describe("TOTP", () => {
  const secret = generateTotpSecret();

  it("makes a 160-bit base32 secret and a URI naming the server and the account", () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = totpUri(secret, "Undersigned (letters.example.org)", "owner@example.org");
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    const parsed = URI.parse(uri);
    expect(parsed.issuer).toBe("Undersigned (letters.example.org)");
    expect(parsed.label).toBe("owner@example.org");
    expect(parsed.secret.base32).toBe(secret);
  });

  it("accepts the current code and those one step either side, and nothing further", () => {
    const step = Math.floor(at.getTime() / 30_000);
    expect(acceptTotpCode(secret, totpCode(secret, at), at, null)).toBe(step);
    expect(acceptTotpCode(secret, totpCode(secret, steps(-1)), at, null)).toBe(step - 1);
    expect(acceptTotpCode(secret, totpCode(secret, steps(1)), at, null)).toBe(step + 1);
    expect(acceptTotpCode(secret, totpCode(secret, steps(-2)), at, null)).toBeNull();
    expect(acceptTotpCode(secret, totpCode(secret, steps(2)), at, null)).toBeNull();
  });

  it("refuses a step already used, or an earlier one", () => {
    const step = Math.floor(at.getTime() / 30_000);
    const code = totpCode(secret, at);
    expect(acceptTotpCode(secret, code, at, step)).toBeNull();
    expect(acceptTotpCode(secret, totpCode(secret, steps(-1)), at, step)).toBeNull();
    expect(acceptTotpCode(secret, totpCode(secret, steps(1)), at, step)).toBe(step + 1);
  });

  it("forgives spaces and refuses anything that is not six digits", () => {
    const code = totpCode(secret, at);
    expect(acceptTotpCode(secret, `${code.slice(0, 3)} ${code.slice(3)}`, at, null)).not.toBeNull();
    expect(acceptTotpCode(secret, "abcdef", at, null)).toBeNull();
    expect(acceptTotpCode(secret, `${code}0`, at, null)).toBeNull();
  });
});

describe("recovery codes", () => {
  it("makes ten distinct codes without look-alike characters", () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){3}$/);
  });

  it("spends each code once, however it is typed", () => {
    const codes = generateRecoveryCodes();
    const hashes = codes.map(hashRecoveryCode);
    const typed = ` ${codes[3]!.toUpperCase().replaceAll("-", " ")} `;
    const remaining = spendRecoveryCode(hashes, typed);
    expect(remaining).toHaveLength(9);
    expect(spendRecoveryCode(remaining!, codes[3]!)).toBeNull();
    expect(spendRecoveryCode(hashes, "aaaa-bbbb-cccc-dddd")).toBeNull();
  });

  it("stores hashes that do not contain the code", () => {
    const [code] = generateRecoveryCodes();
    expect(hashRecoveryCode(code!)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode(code!)).not.toContain(code!.replaceAll("-", ""));
  });
});
