import { describe, expect, it } from "vitest";
import { guessColumns } from "./column-guesses.ts";

describe("guessing which header holds which column", () => {
  it("reads canonical headers as they are", () => {
    const header = [
      "name",
      "name_alt",
      "kind",
      "category",
      "country",
      "website",
      "contact",
      "email",
      "visibility",
      "signed_at",
    ];
    expect(guessColumns(header)).toEqual(Object.fromEntries(header.map((h, i) => [h, i])));
  });

  it("reads a Google Forms export in English, leaving its other questions alone", () => {
    const header = [
      "Timestamp",
      "Email address",
      "Name of your organisation",
      "Name in Burmese (if any)",
      "Contact person",
      "Contact email",
      "Country where you are based",
      "Would you like your organisation's name to be listed publicly?",
      "Website or Facebook page",
      "Any comments?",
    ];
    expect(guessColumns(header)).toEqual({
      signed_at: 0,
      email: 1,
      name: 2,
      name_alt: 3,
      contact: 4,
      country: 6,
      visibility: 7,
      website: 8,
    });
  });

  it("reads Burmese headers", () => {
    const header = ["အချိန်", "အဖွဲ့အစည်းအမည်", "နိုင်ငံ", "ဆက်သွယ်ရန်ပုဂ္ဂိုလ်", "အီးမေးလ်လိပ်စာ", "အမည်ဖော်ပြရန် သဘောတူပါသလား"];
    expect(guessColumns(header)).toEqual({
      signed_at: 0,
      name: 1,
      country: 2,
      contact: 3,
      email: 4,
      visibility: 5,
    });
  });

  it("uses each header once, the leftmost first, and guesses nothing for blank or unknown headers", () => {
    expect(guessColumns(["Organisation", "Organisation", "", "Favourite colour"])).toEqual({ name: 0 });
    expect(guessColumns(["Show our name?", "Organisation name"])).toEqual({ visibility: 0, name: 1 });
  });
});
