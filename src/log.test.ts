import { describe, expect, it } from "vitest";
import { LogCapture } from "../test/app.ts";
import { createLogger } from "./log.ts";

const secrets = {
  email: "ma.thida@example.org",
  token: "tok_9f8e7d6c5b4a",
  password: "correct horse battery staple",
  sealed: "c2VhbGVkLWJveC1zZWNyZXQ=",
  totp: "JBSWY3DPEHPK3PXP",
};

function scan(text: string): string[] {
  return Object.values(secrets).filter((value) => text.includes(value));
}

describe("logging", () => {
  it("redacts emails, tokens, passwords, TOTP secrets and sealed fields wherever they are nested", () => {
    const out = new LogCapture();
    const log = createLogger("info", out);
    log.info({ email: secrets.email, token: secrets.token, password: secrets.password }, "top level");
    log.info(
      { user: { email: secrets.email, password_hash: secrets.password, totp_secret: secrets.totp } },
      "nested",
    );
    log.info({ message: { to: secrets.email, to_address: secrets.email } }, "outbox");
    log.warn({ signature: { sealed_identity: secrets.sealed, sealed_contact: secrets.sealed } }, "signature");
    log.info({ link: { token: secrets.token } }, "one level");
    log.info({ a: { b: { email: secrets.email, token: secrets.token } } }, "two levels");
    expect(out.lines).toHaveLength(6);
    expect(scan(out.text)).toEqual([]);
    expect(out.text).toContain("[redacted]");
  });

  it("logs request paths without query strings or one-time tokens", () => {
    const out = new LogCapture();
    const log = createLogger("info", out);
    log.info({ req: { id: "1", method: "GET", url: `/admin/setup/${secrets.token}` } }, "setup");
    log.info({ req: { id: "2", method: "GET", url: `/admin/password/reset/${secrets.token}` } }, "reset");
    log.info({ req: { id: "4", method: "POST", url: `/admin/invite/${secrets.token}` } }, "invite");
    log.info(
      { req: { id: "3", method: "GET", url: `/letters/x?token=${secrets.token}&email=${secrets.email}` } },
      "q",
    );
    expect(scan(out.text)).toEqual([]);
    expect(out.text).toContain("/admin/setup/[redacted]");
    expect(out.text).toContain("/admin/password/reset/[redacted]");
    expect(out.text).toContain("/admin/invite/[redacted]");
    expect(out.text).toContain('"url":"/letters/x"');
  });
});
