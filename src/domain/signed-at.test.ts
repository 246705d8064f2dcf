import { describe, expect, it } from "vitest";
import { AMBIGUOUS, dateOrderOf, parseSignedAt } from "./signed-at.ts";

const NOW = new Date("2026-12-01T00:00:00Z");

describe("reading endorsement timestamps", () => {
  it("reads ISO 8601, spreadsheet and form export formats as UTC", () => {
    expect(parseSignedAt("2026-03-04", "day-first", NOW)).toBe("2026-03-04T00:00:00.000Z");
    expect(parseSignedAt("2026-03-04T09:05:07Z", "day-first", NOW)).toBe("2026-03-04T09:05:07.000Z");
    expect(parseSignedAt("2026-03-04T09:05:07.250+06:30", "day-first", NOW)).toBe("2026-03-04T02:35:07.000Z");
    expect(parseSignedAt("2026-03-04 09:05", "day-first", NOW)).toBe("2026-03-04T09:05:00.000Z");
    expect(parseSignedAt("14/03/2026 09:05:07", "day-first", NOW)).toBe("2026-03-14T09:05:07.000Z");
    expect(parseSignedAt("3/14/2026 9:05:07", "day-first", NOW)).toBe("2026-03-14T09:05:07.000Z");
    expect(parseSignedAt("3/14/2026 9:05:07 PM", "day-first", NOW)).toBe("2026-03-14T21:05:07.000Z");
    expect(parseSignedAt("14.03.2026", "day-first", NOW)).toBe("2026-03-14T00:00:00.000Z");
  });

  it("reads Excel serial dates (a date cell whose format was lost), rounded to the second, as UTC", () => {
    expect(parseSignedAt("46082.378472222", "day-first", NOW)).toBe("2026-03-01T09:05:00.000Z");
    expect(parseSignedAt("46082", "day-first", NOW)).toBe("2026-03-01T00:00:00.000Z");
    // Before 2000 (a phone number, a count) or in the future: not a signing time.
    expect(parseSignedAt("12345", "day-first", NOW)).toBeUndefined();
    expect(parseSignedAt("99999", "day-first", NOW)).toBeUndefined();
  });

  it("settles a file's order only when its own rows settle it", () => {
    expect(dateOrderOf(["04/03/2026 10:00:00", "14/03/2026"])).toBe("day-first");
    expect(dateOrderOf(["4/3/2026 10:00:00", "3/14/2026 9:00:00"])).toBe("month-first");
    // Both orders seen (exports pasted together) or neither: not guessed.
    expect(dateOrderOf(["3/14/2026", "14/3/2026", "4/3/2026"])).toBe("undecided");
    expect(dateOrderOf(["04/03/2026 10:00:00", "05/03/2026"])).toBe("undecided");
    expect(dateOrderOf(["2026-03-04", "46082"])).toBe("undecided");
    expect(parseSignedAt("04/03/2026", "day-first", NOW)).toBe("2026-03-04T00:00:00.000Z");
    expect(parseSignedAt("04/03/2026", "month-first", NOW)).toBe("2026-04-03T00:00:00.000Z");
  });

  it("leaves an ambiguous date undecided instead of swapping it, and reads the rest as they can only be", () => {
    const now = new Date("2026-03-10T00:00:00Z");
    expect(parseSignedAt("04/03/2026 10:00:00", "undecided", NOW)).toBe(AMBIGUOUS);
    expect(parseSignedAt("03/02/2026", "undecided", now)).toBe(AMBIGUOUS);
    // Unambiguous whatever the order: a day above 12, the same number twice, ISO.
    expect(parseSignedAt("14/03/2026", "undecided", NOW)).toBe("2026-03-14T00:00:00.000Z");
    expect(parseSignedAt("3/14/2026", "undecided", NOW)).toBe("2026-03-14T00:00:00.000Z");
    expect(parseSignedAt("05/05/2026", "undecided", NOW)).toBe("2026-05-05T00:00:00.000Z");
    expect(parseSignedAt("2026-03-04", "undecided", NOW)).toBe("2026-03-04T00:00:00.000Z");
    // One reading is in the future: the other is the only one.
    expect(parseSignedAt("03/04/2026", "undecided", now)).toBe("2026-03-04T00:00:00.000Z");
    expect(parseSignedAt("04/13/2026", "undecided", now)).toBeUndefined();
  });

  it("refuses impossible, implausible and future dates", () => {
    for (const bad of [
      "31/02/2026",
      "2026-13-01",
      "2026-03-04 24:00",
      "1999-12-31",
      "2027-01-01",
      "yesterday",
      "13/13/2026",
    ]) {
      expect(parseSignedAt(bad, "day-first", NOW), bad).toBeUndefined();
    }
  });
});
