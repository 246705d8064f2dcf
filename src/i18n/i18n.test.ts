import { describe, expect, it } from "vitest";
import { en } from "./en.ts";
import { formatDate, formatNumber, translator } from "./index.ts";
import { my } from "./my.ts";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("translations", () => {
  it("English and Burmese have exactly the same keys", () => {
    expect(Object.keys(my).sort()).toEqual(Object.keys(en).sort());
  });

  it("every Burmese message keeps the placeholders of its English twin", () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect([key, placeholders(my[key])]).toEqual([key, placeholders(en[key])]);
    }
  });

  it("Burmese messages are written in Myanmar script, not left in English", () => {
    const untranslated = (Object.keys(en) as (keyof typeof en)[]).filter(
      (key) =>
        en[key] === my[key] && /[a-z]{4,}/i.test(en[key].replace(/\{\w+\}|Undersigned|SMTP_URL|ok/g, "")),
    );
    expect(untranslated).toEqual([]);
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    const t = translator("en");
    expect(t("error.rate_limited", { minutes: 15 })).toBe(
      "Too many attempts. Please wait 15 minutes and try again.",
    );
    expect(t("error.rate_limited")).toContain("{minutes}");
  });

  it("writes numbers given to a Burmese message in Myanmar digits, and text as given", () => {
    const my = translator("my");
    expect(my("sign.receiptVersion", { number: 1, hash: "a1b2c3" })).toBe("မူ ၁၊ လက်ဗွေ a1b2c3");
    expect(my("sign.sentBody", { title: "Letter 2026", days: 7 })).toContain("၇ ရက်");
    expect(my("sign.sentBody", { title: "Letter 2026", days: 7 })).toContain("Letter 2026");
    expect(translator("en")("sign.receiptVersion", { number: 12, hash: "a1" })).toContain("12");
  });

  it("formats numbers and dates with Myanmar digits on Burmese pages", () => {
    expect(formatNumber("my", 551)).toBe("၅၅၁");
    expect(formatNumber("en", 1234)).toBe("1,234");
    expect(formatDate("en", "2023-08-15")).toBe("15 August 2023");
    expect(formatDate("my", "2023-08-15")).toContain("၂၀၂၃");
  });
});
