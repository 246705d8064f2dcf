import { describe, expect, it } from "vitest";
import { translator } from "../i18n/index.ts";
import { trackerStatement } from "./tracker-statement.ts";

const en = (recipients: number, responded: number) =>
  trackerStatement({ recipients, responded }, "en", translator("en"));
const my = (recipients: number, responded: number) =>
  trackerStatement({ recipients, responded }, "my", translator("my"));

describe("trackerStatement in English", () => {
  it("says how many have not responded, like the reference letter", () => {
    expect(en(16, 4)).toBe("To date, 12 of 16 recipients have not responded.");
    expect(en(16, 15)).toBe("To date, 1 of 16 recipients has not responded.");
    expect(en(1200, 1)).toBe("To date, 1,199 of 1,200 recipients have not responded.");
  });

  it("reads naturally for none, one and all", () => {
    expect(en(16, 0)).toBe("To date, none of the 16 recipients has responded.");
    expect(en(1, 0)).toBe("To date, the recipient has not responded.");
    expect(en(16, 16)).toBe("All 16 recipients have responded.");
    expect(en(1, 1)).toBe("The recipient has responded.");
    expect(en(2, 2)).toBe("Both recipients have responded.");
    expect(en(2, 0)).toBe("To date, neither recipient has responded.");
    expect(en(2, 1)).toBe("To date, 1 of 2 recipients has not responded.");
  });

  it("says nothing without recipients and never counts more answers than recipients", () => {
    expect(en(0, 0)).toBe("");
    expect(en(3, 7)).toBe(en(3, 3));
  });
});

describe("trackerStatement in Burmese", () => {
  it("uses Myanmar digits and Burmese sentences, verb last", () => {
    expect(my(16, 4)).toBe("ယနေ့အထိ လက်ခံသူ ၁၆ ဦးအနက် ၁၂ ဦးက တုံ့ပြန်ခြင်း မရှိသေးပါ။");
    expect(my(16, 15)).toBe("ယနေ့အထိ လက်ခံသူ ၁၆ ဦးအနက် ၁ ဦးက တုံ့ပြန်ခြင်း မရှိသေးပါ။");
    expect(my(16, 0)).toBe("ယနေ့အထိ လက်ခံသူ ၁၆ ဦးအနက် မည်သူမျှ တုံ့ပြန်ခြင်း မရှိသေးပါ။");
    expect(my(1, 0)).toBe("ယနေ့အထိ လက်ခံသူထံမှ တုံ့ပြန်ချက် မရရှိသေးပါ။");
    expect(my(16, 16)).toBe("လက်ခံသူ ၁၆ ဦးလုံး တုံ့ပြန်ပြီး ဖြစ်သည်။");
    expect(my(1, 1)).toBe("လက်ခံသူက တုံ့ပြန်ပြီး ဖြစ်သည်။");
    expect(my(2, 2)).toBe("လက်ခံသူ ၂ ဦးစလုံး တုံ့ပြန်ပြီး ဖြစ်သည်။");
    expect(my(2, 0)).toBe("ယနေ့အထိ လက်ခံသူ ၂ ဦးစလုံး တုံ့ပြန်ခြင်း မရှိသေးပါ။");
  });

  it("never leaves a Latin digit or an unfilled placeholder", () => {
    for (const recipients of [1, 2, 3, 16, 100]) {
      for (let responded = 0; responded <= recipients; responded += Math.max(1, recipients >> 2)) {
        const text = my(recipients, responded);
        expect(text).not.toMatch(/[0-9{}]/);
        expect(text.endsWith("။")).toBe(true);
      }
    }
  });
});
