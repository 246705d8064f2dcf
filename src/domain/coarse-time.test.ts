import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { daysAfterStartOfDay, startOfUtcDay, startOfUtcHour, utcDay } from "./coarse-time.ts";

describe("coarse times", () => {
  it("cuts a moment to its UTC day and hour", () => {
    const at = new Date("2026-12-02T23:59:59.999+05:30");
    expect(utcDay(at)).toBe("2026-12-02");
    expect(startOfUtcDay(at)).toBe("2026-12-02T00:00:00.000Z");
    expect(startOfUtcHour(at)).toBe("2026-12-02T18:00:00.000Z");
    expect(daysAfterStartOfDay(at, 7)).toBe("2026-12-09T00:00:00.000Z");
  });

  it("never keeps anything finer than the unit, and never moves a moment into another day", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }),
        (d) => {
          const day = startOfUtcDay(d);
          const hour = startOfUtcHour(d);
          expect(day.endsWith("T00:00:00.000Z")).toBe(true);
          expect(hour.slice(13)).toBe(":00:00.000Z");
          expect(day.slice(0, 10)).toBe(utcDay(d));
          expect(Date.parse(day)).toBeLessThanOrEqual(d.getTime());
          expect(d.getTime() - Date.parse(hour)).toBeLessThan(3_600_000);
        },
      ),
    );
  });
});
