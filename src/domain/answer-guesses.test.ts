import { describe, expect, it } from "vitest";
import {
  distinctAnswers,
  foldAnswer,
  guessAnswer,
  readAnswer,
  unconfirmedAnswers,
} from "./answer-guesses.ts";

const LISTED_QUESTION = "Would you like your organisation's name to be listed publicly?";
const HIDDEN_QUESTION = "Do you want to remain anonymous?";

describe("guessing what a form's answers mean", () => {
  it("reads Yes and No by the way the question is put", () => {
    expect(guessAnswer("visibility", LISTED_QUESTION, "Yes")).toBe("listed");
    expect(guessAnswer("visibility", LISTED_QUESTION, "No")).toBe("undisclosed");
    expect(guessAnswer("visibility", HIDDEN_QUESTION, "Yes")).toBe("undisclosed");
    expect(guessAnswer("visibility", HIDDEN_QUESTION, "No")).toBe("listed");
    expect(guessAnswer("visibility", "အမည်ဖော်ပြရန် သဘောတူပါသလား", "ဟုတ်ကဲ့")).toBe("listed");
    expect(guessAnswer("visibility", "အမည်ဖော်ပြရန် သဘောတူပါသလား", "မဟုတ်ပါ")).toBe("undisclosed");
  });

  it("reads answers that say what they mean whatever the question", () => {
    for (const answer of ["Yes, list our name", "Please list our name", "listed", "Publish our name"])
      expect(guessAnswer("visibility", HIDDEN_QUESTION, answer), answer).toBe("listed");
    for (const answer of [
      "Do not list",
      "No, do not list our name",
      "Don't list us",
      "Keep our name private",
      "undisclosed",
      "အမည်မဖော်ပြပါနှင့်",
    ])
      expect(guessAnswer("visibility", LISTED_QUESTION, answer), answer).toBe("undisclosed");
    expect(guessAnswer("visibility", LISTED_QUESTION, "Maybe later")).toBeUndefined();
  });

  it("reads kinds", () => {
    expect(guessAnswer("kind", "Signing as", "As an individual")).toBe("individual");
    expect(guessAnswer("kind", "Signing as", "On behalf of an organization")).toBe("organisation");
    expect(guessAnswer("kind", "အမျိုးအစား", "အဖွဲ့အစည်း")).toBe("organisation");
    expect(guessAnswer("kind", "အမျိုးအစား", "ပုဂ္ဂိုလ်")).toBe("individual");
    expect(guessAnswer("kind", "Signing as", "Other")).toBeUndefined();
  });

  it("uses only canonical and confirmed answers, never a guess", () => {
    const confirmed = { visibility: { yes: "listed" as const } };
    expect(readAnswer("visibility", " Yes. ", confirmed)).toBe("listed");
    expect(readAnswer("visibility", "No", confirmed)).toBeUndefined();
    expect(readAnswer("visibility", "UNDISCLOSED", {})).toBe("undisclosed");
    expect(readAnswer("kind", "Organization", {})).toBe("organisation");
    const answers = distinctAnswers(["Yes", "yes ", "No", "", "listed", "No"]);
    expect(answers).toEqual(["yes", "no", "listed"]);
    expect(unconfirmedAnswers("visibility", LISTED_QUESTION, answers, confirmed)).toEqual([
      { answer: "no", guess: "undisclosed" },
    ]);
  });

  it("folds case, spacing, invisible characters and closing punctuation", () => {
    expect(foldAnswer("  Yes,\u00a0 list   our name! ")).toBe("yes, list our name");
    expect(foldAnswer("ဟုတ်ကဲ့\u200b။")).toBe("ဟုတ်ကဲ့");
    expect(distinctAnswers(["a", "b", "c"], 2)).toEqual(["a", "b"]);
  });
});
