import { describe, expect, it } from "vitest";
import { diffText, hasChanges } from "./text-diff.ts";

describe("diffText", () => {
  it("shows the words that changed within an edited line, not the whole line", () => {
    const parts = diffText(
      "We urge you to act now.\nSecond line.\n",
      "We urge you to act today.\nSecond line.\n",
      "en",
    );
    expect(parts).toEqual([
      { kind: "same", text: "We urge you to act " },
      { kind: "removed", text: "now" },
      { kind: "added", text: "today" },
      { kind: "same", text: ".\nSecond line.\n" },
    ]);
  });

  it("segments Burmese into words although it has no spaces", () => {
    const parts = diffText("ကျွန်ုပ်တို့သည် စစ်ကောင်စီကို ရှုတ်ချသည်။", "ကျွန်ုပ်တို့သည် စစ်ကောင်စီကို ပြင်းထန်စွာ ရှုတ်ချသည်။", "my");
    expect(parts.filter((p) => p.kind !== "same").map((p) => [p.kind, p.text.trim()])).toEqual([
      ["added", "ပြင်းထန်စွာ"],
    ]);
  });

  it("reports added and removed lines, and no change as no change", () => {
    expect(diffText("a\n", "a\nb\n", "en")).toEqual([
      { kind: "same", text: "a\n" },
      { kind: "added", text: "b\n" },
    ]);
    expect(hasChanges(diffText("same", "same", "en"))).toBe(false);
    expect(diffText("", "", "en")).toEqual([]);
  });
});
