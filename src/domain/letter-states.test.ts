import { describe, expect, it } from "vitest";
import type { LetterState } from "./letter-states.ts";
import { checkTransition, type LetterTransition, nextTransitions } from "./letter-states.ts";

describe("letter states", () => {
  it("allows the forward path and publishing straight from a draft", () => {
    expect(checkTransition("draft", "open")).toEqual({ kind: "apply", to: "collecting" });
    expect(checkTransition("draft", "publish")).toEqual({ kind: "apply", to: "published" });
    expect(checkTransition("collecting", "publish")).toEqual({ kind: "apply", to: "published" });
    expect(checkTransition("published", "close")).toEqual({ kind: "apply", to: "closed" });
    expect(checkTransition("closed", "archive")).toEqual({ kind: "apply", to: "archived" });
  });

  it("treats a transition already made as a no-op, and skipping ahead as illegal", () => {
    const table: [LetterState, LetterTransition, string][] = [
      ["collecting", "open", "already"],
      ["published", "open", "already"],
      ["published", "publish", "already"],
      ["archived", "publish", "already"],
      ["closed", "close", "already"],
      ["archived", "archive", "already"],
      ["draft", "close", "illegal"],
      ["collecting", "close", "illegal"],
      ["draft", "archive", "illegal"],
      ["published", "archive", "illegal"],
    ];
    for (const [state, transition, kind] of table) {
      expect([state, transition, checkTransition(state, transition).kind]).toEqual([state, transition, kind]);
    }
  });

  it("offers the buttons that apply", () => {
    expect(nextTransitions("draft")).toEqual(["open", "publish"]);
    expect(nextTransitions("collecting")).toEqual(["publish"]);
    expect(nextTransitions("published")).toEqual(["close"]);
    expect(nextTransitions("archived")).toEqual([]);
  });
});
