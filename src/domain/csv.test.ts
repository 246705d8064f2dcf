import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "./csv.ts";

describe("CSV for spreadsheet apps", () => {
  it("defuses cells a spreadsheet would run as formulas", () => {
    expect(csvCell('=HYPERLINK("http://evil.example","x")')).toBe(
      `"'=HYPERLINK(""http://evil.example"",""x"")"`,
    );
    expect(csvCell("+1 234")).toBe("'+1 234");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\t=1")).toBe("'\t=1");
    expect(csvCell("\r=1")).toBe(`"'\r=1"`);
    expect(csvCell("Rivers Network")).toBe("Rivers Network");
    expect(csvCell("a-b=c")).toBe("a-b=c");
  });

  it("quotes commas, quotes and line breaks, and writes empty cells for missing values", () => {
    expect(csvCell('Group "A", Yangon')).toBe('"Group ""A"", Yangon"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell(null)).toBe("");
  });

  it("starts with a byte-order mark and ends lines with CRLF", () => {
    const csv = toCsv(
      ["name", "country"],
      [
        ["မြန်မာ", null],
        ["=x", "TH"],
      ],
    );
    expect(csv).toBe("\uFEFFname,country\r\nမြန်မာ,\r\n'=x,TH\r\n");
    expect(Buffer.from(csv, "utf8").subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});
