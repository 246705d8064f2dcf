import { describe, expect, it } from "vitest";
import { countEffect, isReleaseRhythm, nextRelease, RELEASE_RHYTHMS, releaseHour } from "./count-release.ts";

const at = (iso: string) => new Date(iso);

describe("nextRelease", () => {
  it("is the next UTC midnight for a daily letter, whatever the moment", () => {
    expect(nextRelease(24, at("2026-03-01T00:00:00.000Z"))).toEqual(at("2026-03-02T00:00:00.000Z"));
    expect(nextRelease(24, at("2026-03-01T23:59:59.999Z"))).toEqual(at("2026-03-02T00:00:00.000Z"));
  });

  it("lies on the letter's grid from UTC midnight", () => {
    expect(nextRelease(1, at("2026-03-01T10:15:00.000Z"))).toEqual(at("2026-03-01T11:00:00.000Z"));
    expect(nextRelease(6, at("2026-03-01T10:15:00.000Z"))).toEqual(at("2026-03-01T12:00:00.000Z"));
    expect(nextRelease(8, at("2026-03-01T17:00:00.000Z"))).toEqual(at("2026-03-02T00:00:00.000Z"));
    // Strictly after: a change made at a release waits for the next one.
    expect(nextRelease(12, at("2026-03-01T12:00:00.000Z"))).toEqual(at("2026-03-02T00:00:00.000Z"));
  });

  it("accepts only the divisors of a day", () => {
    expect(RELEASE_RHYTHMS.filter(isReleaseRhythm)).toEqual([1, 2, 3, 4, 6, 8, 12, 24]);
    for (const bad of [0, 5, 7, 48, 1.5]) {
      expect(isReleaseRhythm(bad)).toBe(false);
      expect(() => nextRelease(bad, at("2026-03-01T10:00:00.000Z"))).toThrow(RangeError);
    }
  });

  it("records a release to the hour", () => {
    expect(releaseHour(at("2026-03-02T00:00:03.412Z"))).toEqual(at("2026-03-02T00:00:00.000Z"));
  });
});

describe("countEffect", () => {
  const now = at("2026-03-01T10:15:42.123Z");
  const signer = { by: "signer" as const, releaseEveryHours: 24, now };

  it("counts a coordinator's action at once", () => {
    expect(countEffect({ by: "coordinator", to: "approved" })).toEqual({ counted: 1, count_change_at: null });
    expect(countEffect({ by: "coordinator", to: "rejected" })).toEqual({ counted: 0, count_change_at: null });
    expect(countEffect({ by: "coordinator", to: "merged" })).toEqual({ counted: 0, count_change_at: null });
  });

  it("leaves an undisclosed signer's withdrawal to the next release, and stores only that release", () => {
    const effect = countEffect({ ...signer, visibility: "undisclosed", counted: 1, to: "withdrawn" });
    expect(effect).toEqual({ count_change_at: "2026-03-02T00:00:00.000Z" });
    expect("counted" in effect).toBe(false);
  });

  it("would leave an undisclosed confirmation that counts without review to the release too", () => {
    expect(countEffect({ ...signer, visibility: "undisclosed", counted: 0, to: "approved" })).toEqual({
      count_change_at: "2026-03-02T00:00:00.000Z",
    });
  });

  it("keeps no pending release when the count has nothing to learn", () => {
    expect(countEffect({ ...signer, visibility: "undisclosed", counted: 0, to: "confirmed" })).toEqual({
      count_change_at: null,
    });
  });

  it("counts a listed signer's change at once: the name shows or goes at that moment anyway", () => {
    expect(countEffect({ ...signer, visibility: "listed", counted: 1, to: "withdrawn" })).toEqual({
      counted: 0,
      count_change_at: null,
    });
    expect(countEffect({ ...signer, visibility: "listed", counted: 0, to: "approved" })).toEqual({
      counted: 1,
      count_change_at: null,
    });
  });
});
