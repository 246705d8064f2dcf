import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

describe("loadConfig", () => {
  it("has working defaults for a first run", () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe("127.0.0.1");
    expect(config.dataDir).toMatch(/\/data$/);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.smtpUrl).toBeUndefined();
    expect(config.baseUrl).toBe("http://127.0.0.1:3000");
    expect(config.secureCookies).toBe(false);
    expect(config.limits).toEqual({ signPerPrefix: 200, resendPerPrefix: 50 });
  });

  it("takes the sign-on limits per prefix from the operator", () => {
    const config = loadConfig({ SIGN_LIMIT_PER_PREFIX: "1000", RESEND_LIMIT_PER_PREFIX: "5" });
    expect(config.limits).toEqual({ signPerPrefix: 1000, resendPerPrefix: 5 });
  });

  it("takes WITNESSES as verifier keys and URLs, one a line or comma, and names the variable when wrong", () => {
    const a = "witness.example.org+1a2b3c4d+BP9uY6+Q3DBWIwV7nYAN7R5mG2Wz6EzIHWqHjVJq0X8e";
    const b = "other.example+0f0e0d0c+AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";
    expect(loadConfig({}).witnesses).toEqual([]);
    expect(
      loadConfig({ WITNESSES: `${a} https://w.example.org/,\n ${b}  http://10.0.0.2:8080` }).witnesses,
    ).toEqual([
      { vkey: a, url: "https://w.example.org/" },
      { vkey: b, url: "http://10.0.0.2:8080" },
    ]);
    for (const bad of [
      a,
      `${a} ftp://w.example.org`,
      "not-a-key https://w.example.org",
      `${a} https://x ${a}`,
    ]) {
      expect(() => loadConfig({ WITNESSES: bad })).toThrow(/^WITNESSES: write one witness per line or comma/);
    }
    expect(() => loadConfig({ WITNESSES: `${a} https://x.example, ${a} https://y.example` })).toThrow(
      /listed twice/,
    );
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ SMTP_URL: "", DATABASE_URL: "" }).smtpUrl).toBeUndefined();
  });

  it("derives secure cookies and the mail sender from an https BASE_URL", () => {
    const config = loadConfig({ BASE_URL: "https://letters.example.org/" });
    expect(config.baseUrl).toBe("https://letters.example.org");
    expect(config.secureCookies).toBe(true);
    expect(config.mailFrom).toBe("Undersigned <no-reply@letters.example.org>");
  });

  it.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["PORT", "3.5"],
    ["DATABASE_URL", "mysql://x"],
    ["SMTP_URL", "not a url"],
    ["BASE_URL", "ftp://example.org"],
    ["LOG_LEVEL", "loud"],
    ["TRUST_PROXY", "maybe"],
    ["TRUST_PROXY", "true"],
    ["TRUST_PROXY", "10.0.0.0/33"],
    ["TRUST_PROXY", "99"],
    ["SIGN_LIMIT_PER_PREFIX", "0"],
    ["SIGN_LIMIT_PER_PREFIX", "many"],
    ["RESEND_LIMIT_PER_PREFIX", "2.5"],
  ])("names %s when it is invalid (%s)", (variable, value) => {
    const error = (() => {
      try {
        loadConfig({ [variable]: value });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message.startsWith(`${variable}: `)).toBe(true);
  });

  it("takes TRUST_PROXY as a number of proxies or their addresses, and says what to write instead of true", () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "false" }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "1" }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: "2" }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: "127.0.0.1, 10.0.0.0/8,::1,fd00::/8,loopback" }).trustProxy).toEqual([
      "127.0.0.1",
      "10.0.0.0/8",
      "::1",
      "fd00::/8",
      "loopback",
    ]);
    expect(() => loadConfig({ TRUST_PROXY: "true" })).toThrow(/TRUST_PROXY=1/);
  });
});
