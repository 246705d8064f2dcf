import { describe, expect, it } from "vitest";
import { dateOrderOf, parseSignedAt } from "./signed-at.ts";

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

  it("settles ambiguous dates by the file's order: day-first unless only month-first fits a row", () => {
    expect(dateOrderOf(["04/03/2026 10:00:00", "05/03/2026"])).toBe("day-first");
    expect(dateOrderOf(["4/3/2026 10:00:00", "3/14/2026 9:00:00"])).toBe("month-first");
    // Both orders seen: the file is inconsistent, ambiguous rows fall back to day-first.
    expect(dateOrderOf(["3/14/2026", "14/3/2026"])).toBe("day-first");
    expect(parseSignedAt("04/03/2026", "day-first", NOW)).toBe("2026-03-04T00:00:00.000Z");
    expect(parseSignedAt("04/03/2026", "month-first", NOW)).toBe("2026-04-03T00:00:00.000Z");
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
