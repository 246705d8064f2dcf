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
});
