import { describe, expect, it } from "vitest";
import { conditionOfForm, signFormSchema } from "./sign-form.ts";
import { conditionMet, listingRefusal, parseDay, thresholdState } from "./threshold-disclosure.ts";

const now = new Date("2027-03-01T15:00:00.000Z");

describe("threshold disclosure", () => {
  it("is met by the number of others listed, or from the signer's day (UTC), whichever comes first", () => {
    const byNumber = { threshold: 3, discloseOn: null };
    expect(conditionMet(byNumber, 2, now)).toBe(false);
    expect(conditionMet(byNumber, 3, now)).toBe(true);
    const byDay = { threshold: 300, discloseOn: "2027-03-02" };
    expect(conditionMet(byDay, 0, now)).toBe(false);
    expect(conditionMet(byDay, 0, new Date("2027-03-02T00:00:00.000Z"))).toBe(true);
    expect(conditionMet(byDay, 300, now)).toBe(true);
  });

  it("says waiting, met or listed since a day, and nothing for an endorsement that left", () => {
    const condition = { threshold: 3, discloseOn: null };
    const row = { visibility: "undisclosed" as const, state: "approved" as const, disclosedOn: null };
    expect(thresholdState(row, condition, 1, now)).toEqual({ state: "waiting" });
    expect(thresholdState(row, condition, 3, now)).toEqual({ state: "met" });
    expect(
      thresholdState(
        { visibility: "listed", state: "approved", disclosedOn: "2027-03-01" },
        condition,
        3,
        now,
      ),
    ).toEqual({ state: "listed", since: "2027-03-01" });
    expect(thresholdState({ ...row, state: "withdrawn" }, condition, 3, now)).toBeUndefined();
  });

  it("lets a coordinator list only a live undisclosed endorsement whose condition is met", () => {
    const condition = { threshold: 3, discloseOn: null };
    const row = { visibility: "undisclosed" as const, state: "confirmed" as const };
    expect(listingRefusal(row, condition, 3, now)).toBeUndefined();
    expect(listingRefusal(row, condition, 2, now)).toBe("not_met");
    expect(listingRefusal(row, undefined, 3, now)).toBe("no_condition");
    expect(listingRefusal({ ...row, visibility: "listed" }, condition, 3, now)).toBe("no_condition");
    expect(listingRefusal({ ...row, state: "unconfirmed" }, condition, 3, now)).toBe("not_live");
    expect(listingRefusal({ ...row, state: "withdrawn" }, condition, 3, now)).toBe("not_live");
  });

  it("reads days as real calendar days written YYYY-MM-DD", () => {
    expect(parseDay("2027-02-28")).toBe("2027-02-28");
    expect(parseDay("2027-02-30")).toBeUndefined();
    expect(parseDay("1/3/2027")).toBeUndefined();
  });

  it("takes the threshold choice on the sign form with a default of 50 and refuses a bad number or day", () => {
    const schema = signFormSchema({
      signers: "organisations",
      allowUndisclosed: true,
      categories: [],
      requiredFields: [],
    });
    const form = {
      name: "Rangoon Teachers",
      email: "a@example.org",
      consent: "yes",
      visibility: "threshold",
    };
    const parsed = schema.parse(form);
    expect(conditionOfForm(parsed)).toEqual({ threshold: 50, discloseOn: null });
    expect(conditionOfForm(schema.parse({ ...form, threshold: "3", disclose_on: "2027-06-01" }))).toEqual({
      threshold: 3,
      discloseOn: "2027-06-01",
    });
    const bad = schema.safeParse({ ...form, threshold: "three", disclose_on: "June" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => [i.path[0], i.message])).toEqual([
      ["threshold", "sign.thresholdInvalid"],
      ["disclose_on", "sign.discloseOnInvalid"],
    ]);
    // A listed endorsement ignores what the threshold fields hold.
    expect(
      conditionOfForm(schema.parse({ ...form, visibility: "listed", threshold: "three" })),
    ).toBeUndefined();
    // A letter without undisclosed endorsements has no threshold either.
    const listedOnly = signFormSchema({
      signers: "organisations",
      allowUndisclosed: false,
      categories: [],
      requiredFields: [],
    });
    expect(listedOnly.safeParse(form).success).toBe(false);
  });
});
