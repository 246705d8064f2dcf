import { describe, expect, it } from "vitest";
import { toCsv } from "./csv.ts";
import { CsvParser, CsvSyntaxError, parseCsv } from "./csv-reader.ts";

describe("reading CSV", () => {
  it("reads a byte-order mark, CRLF and LF, quoted commas, line breaks and doubled quotes", () => {
    const text = '\uFEFFname,note\r\n"Athan, ""Freedom"" Media","two\r\nlines"\nမြန်မာ,\r\n';
    expect(parseCsv(text)).toEqual([
      ["name", "note"],
      ['Athan, "Freedom" Media', "two\r\nlines"],
      ["မြန်မာ", ""],
    ]);
  });

  it("reads back what the exports write", () => {
    const rows = [["a,b", 'say "hi"', "x\ny", ""]];
    expect(parseCsv(toCsv(["1", "2", "3", "4"], rows))).toEqual([["1", "2", "3", "4"], ...rows]);
  });

  it("keeps a last record without a line end, and quotes inside unquoted fields", () => {
    expect(parseCsv('a,5" disk')).toEqual([["a", '5" disk']]);
    expect(parseCsv("a,\n,b")).toEqual([
      ["a", ""],
      ["", "b"],
    ]);
  });

  it("refuses a quote left open or text after a closing quote, naming the record", () => {
    expect(() => parseCsv('name\n"open\n')).toThrow(new CsvSyntaxError(2, "a quoted field is never closed"));
    expect(() => parseCsv('name\nok\n"a"b\n')).toThrow(/record 3: text after a closing quote/);
  });

  it("reads the same records from a stream cut anywhere: inside quotes, between CR and LF, after a quote", () => {
    const text = '\uFEFFname,note\r\n"Athan, ""Freedom"" Media","two\r\nlines"\r\nမြန်မာ,""\r\n"last"\r';
    const whole = parseCsv(text);
    for (let size = 1; size <= 9; size++) {
      const parser = new CsvParser();
      const records: string[][] = [];
      for (let i = 0; i < text.length; i += size) records.push(...parser.push(text.slice(i, i + size)));
      records.push(...parser.end());
      expect(records, `pieces of ${size}`).toEqual(whole);
    }
    const open = new CsvParser();
    open.push('name\n"open');
    expect(() => open.end()).toThrow(new CsvSyntaxError(2, "a quoted field is never closed"));
  });
});
