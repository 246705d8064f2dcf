import { describe, expect, it } from "vitest";
import { translator } from "../i18n/index.ts";
import {
  countStatement,
  countSummary,
  fillCountTemplate,
  unknownCountPlaceholder,
} from "./count-statement.ts";
import { assembleCounts } from "./counts.ts";
import type { Signers } from "./letter-settings.ts";

const counts = (org: [number, number], ind: [number, number] = [0, 0]) =>
  assembleCounts([
    { kind: "organisation", visibility: "listed", count: org[0] },
    { kind: "organisation", visibility: "undisclosed", count: org[1] },
    { kind: "individual", visibility: "listed", count: ind[0] },
    { kind: "individual", visibility: "undisclosed", count: ind[1] },
  ]);
const en = (c: ReturnType<typeof counts>, signers: Signers = "organisations") =>
  countStatement(c, signers, "en", translator("en"));
const my = (c: ReturnType<typeof counts>, signers: Signers = "organisations") =>
  countStatement(c, signers, "my", translator("my"));

describe("countStatement in English", () => {
  it("reads like the reference letter for listed and undisclosed organisations", () => {
    expect(en(counts([298, 253]))).toBe(
      "This letter is endorsed by 551 organisations, including the 298 organisations listed below and 253 organisations which have chosen not to disclose their names.",
    );
  });

  it("reads naturally when a part is zero or one", () => {
    expect(en(counts([0, 0]))).toBe("No organisation has endorsed this letter yet.");
    expect(en(counts([1, 0]))).toBe("This letter is endorsed by 1 organisation, listed below.");
    expect(en(counts([0, 1]))).toBe(
      "This letter is endorsed by 1 organisation, which has chosen not to disclose its name.",
    );
    expect(en(counts([12, 0]))).toBe("This letter is endorsed by 12 organisations, all listed below.");
    expect(en(counts([0, 7]))).toBe(
      "This letter is endorsed by 7 organisations, all of which have chosen not to disclose their names.",
    );
    expect(en(counts([1, 1]))).toBe(
      "This letter is endorsed by 2 organisations, including the 1 organisation listed below and 1 organisation which has chosen not to disclose its name.",
    );
    expect(en(counts([1234, 1]))).toBe(
      "This letter is endorsed by 1,235 organisations, including the 1,234 organisations listed below and 1 organisation which has chosen not to disclose its name.",
    );
  });

  it("speaks per kind on letters that take organisations and individuals", () => {
    expect(en(counts([3, 2], [5, 1]), "both")).toBe(
      "This letter is endorsed by 5 organisations, including the 3 organisations listed below and 2 organisations which have chosen not to disclose their names. " +
        "It is also endorsed by 6 individuals, including the 5 individuals listed below and 1 individual who has chosen not to disclose their name.",
    );
    expect(en(counts([4, 0], [0, 1]), "both")).toBe(
      "This letter is endorsed by 4 organisations, all listed below. It is also endorsed by 1 individual, who has chosen not to disclose their name.",
    );
    expect(en(counts([0, 0], [2, 0]), "both")).toBe(
      "This letter is endorsed by 2 individuals, all listed below.",
    );
    expect(en(counts([2, 0], [0, 0]), "both")).toBe(
      "This letter is endorsed by 2 organisations, all listed below.",
    );
    expect(en(counts([0, 0], [0, 0]), "both")).toBe("No one has endorsed this letter yet.");
    expect(en(counts([0, 0], [0, 0]), "individuals")).toBe("No individual has endorsed this letter yet.");
    expect(en(counts([0, 0], [0, 3]), "individuals")).toBe(
      "This letter is endorsed by 3 individuals, all of whom have chosen not to disclose their names.",
    );
  });
});

describe("countStatement in Burmese", () => {
  it("uses Myanmar digits and Burmese sentences", () => {
    expect(my(counts([298, 253]))).toBe(
      "ဤပေးစာကို အဖွဲ့အစည်း ၅၅၁ ဖွဲ့က ထောက်ခံထားပြီး ၎င်းတို့တွင် အောက်တွင် ဖော်ပြထားသော အဖွဲ့အစည်း ၂၉၈ ဖွဲ့နှင့် အမည်မဖော်ပြရန် ရွေးချယ်ထားသော အဖွဲ့အစည်း ၂၅၃ ဖွဲ့ ပါဝင်သည်။",
    );
    expect(my(counts([0, 0]))).toBe("ဤပေးစာကို ထောက်ခံထားသော အဖွဲ့အစည်း မရှိသေးပါ။");
    expect(my(counts([1, 0]))).toBe("ဤပေးစာကို အောက်တွင် ဖော်ပြထားသော အဖွဲ့အစည်း ၁ ဖွဲ့က ထောက်ခံထားသည်။");
    expect(my(counts([0, 1]))).toBe("ဤပေးစာကို အဖွဲ့အစည်း ၁ ဖွဲ့က ထောက်ခံထားပြီး ၎င်းက အမည်မဖော်ပြရန် ရွေးချယ်ထားသည်။");
    expect(my(counts([12, 0]))).toBe("ဤပေးစာကို အဖွဲ့အစည်း ၁၂ ဖွဲ့က ထောက်ခံထားပြီး ၎င်းတို့အားလုံးကို အောက်တွင် ဖော်ပြထားသည်။");
    expect(my(counts([0, 7]))).toBe("ဤပေးစာကို အဖွဲ့အစည်း ၇ ဖွဲ့က ထောက်ခံထားပြီး ၎င်းတို့အားလုံးက အမည်မဖော်ပြရန် ရွေးချယ်ထားသည်။");
    expect(my(counts([3, 0], [0, 2]), "both")).toBe(
      "ဤပေးစာကို အဖွဲ့အစည်း ၃ ဖွဲ့က ထောက်ခံထားပြီး ၎င်းတို့အားလုံးကို အောက်တွင် ဖော်ပြထားသည်။ ပုဂ္ဂိုလ် ၂ ဦးကလည်း ထောက်ခံထားပြီး ၎င်းတို့အားလုံးက အမည်မဖော်ပြရန် ရွေးချယ်ထားသည်။",
    );
    expect(my(counts([0, 0], [0, 0]), "both")).toBe("ဤပေးစာကို ထောက်ခံသူ မရှိသေးပါ။");
  });

  it("never leaves a Latin digit or an unfilled placeholder in a Burmese statement", () => {
    for (const org of [0, 1, 2, 17] as const) {
      for (const und of [0, 1, 5]) {
        for (const signers of ["organisations", "individuals", "both"] as const) {
          const text = my(counts([org, und], [und, org]), signers);
          expect(text).not.toMatch(/[0-9{}]/);
          expect(text.endsWith("။")).toBe(true);
        }
      }
    }
  });
});

describe("countSummary, for lists of letters", () => {
  const summary = (locale: "en" | "my", c: ReturnType<typeof counts>, signers: Signers = "organisations") =>
    countSummary(c, signers, locale, translator(locale));

  it("says 1 organisation, not 1 organisations, and nothing glued for zero", () => {
    expect(summary("en", counts([1, 0]))).toBe("Endorsed by 1 organisation");
    expect(summary("en", counts([0, 1]))).toBe("Endorsed by 1 organisation");
    expect(summary("en", counts([40, 25]))).toBe("Endorsed by 65 organisations");
    expect(summary("en", counts([1000, 234]))).toBe("Endorsed by 1,234 organisations");
    expect(summary("en", counts([0, 0]))).toBe("Not endorsed yet");
    expect(summary("en", counts([0, 0], [1, 0]), "individuals")).toBe("Endorsed by 1 individual");
    expect(summary("en", counts([2, 1], [0, 1]), "both")).toBe(
      "Endorsed by 3 organisations and 1 individual",
    );
    expect(summary("en", counts([0, 0], [2, 0]), "both")).toBe("Endorsed by 2 individuals");
    expect(summary("en", counts([0, 0], [0, 0]), "both")).toBe("Not endorsed yet");
  });

  it("speaks only of the kinds the letter takes, like the statement", () => {
    expect(summary("en", counts([2, 0], [5, 0]), "organisations")).toBe("Endorsed by 2 organisations");
    expect(summary("en", counts([2, 0], [5, 0]), "individuals")).toBe("Endorsed by 5 individuals");
  });

  it("reads as Burmese, verb last, with Myanmar digits", () => {
    expect(summary("my", counts([40, 25]))).toBe("အဖွဲ့အစည်း ၆၅ ဖွဲ့က ထောက်ခံထားသည်");
    expect(summary("my", counts([1, 0]))).toBe("အဖွဲ့အစည်း ၁ ဖွဲ့က ထောက်ခံထားသည်");
    expect(summary("my", counts([2, 1], [0, 1]), "both")).toBe("အဖွဲ့အစည်း ၃ ဖွဲ့နှင့် ပုဂ္ဂိုလ် ၁ ဦးက ထောက်ခံထားသည်");
    expect(summary("my", counts([0, 0]))).toBe("ထောက်ခံသူ မရှိသေးပါ");
  });
});

describe("a coalition's count template", () => {
  const released = { ...counts([298, 253]), waiting: 40 };

  it("fills every count, the waiting ones too, in the template's digits", () => {
    const template = "{{total}} in all: {{listed}} listed, {{undisclosed}} not, {{ waiting }} to be listed.";
    expect(fillCountTemplate(template, released, "en")).toBe(
      "551 in all: 298 listed, 253 not, 40 to be listed.",
    );
    expect(fillCountTemplate("{{waiting}} ဖွဲ့", released, "my")).toBe("၄၀ ဖွဲ့");
  });

  it("names the first placeholder that is not a count, and accepts the four that are", () => {
    expect(unknownCountPlaceholder("{{total}} {{listed}} {{undisclosed}} {{waiting}}")).toBeUndefined();
    expect(unknownCountPlaceholder("{{total}} and {{wating}} and {{letter:x}}")).toBe("{{wating}}");
    expect(unknownCountPlaceholder("no counts at all")).toBeUndefined();
  });
});
