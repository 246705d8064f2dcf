import { describe, expect, it } from "vitest";
import { plural, rateLimitedMessage, translator } from "./index.ts";

describe("plural messages", () => {
  it("says one letter, one minute and one recovery code in English, and keeps Burmese counts", () => {
    const en = translator("en");
    expect(plural(en, "campaigns.letterCount", 1)).toBe("1 letter");
    expect(plural(en, "campaigns.letterCount", 2)).toBe("2 letters");
    expect(plural(en, "totp.recoveryLeft", 1)).toBe("1 unused recovery code left.");
    expect(rateLimitedMessage(en, 1)).toBe("Too many attempts. Please wait a minute and try again.");
    expect(rateLimitedMessage(en, 15)).toBe("Too many attempts. Please wait 15 minutes and try again.");
    const my = translator("my");
    expect(rateLimitedMessage(my, 1)).toContain("တစ်မိနစ်");
    expect(plural(my, "campaigns.letterCount", 1, { count: "၁" })).toBe("စာ ၁ စောင်");
  });
});
