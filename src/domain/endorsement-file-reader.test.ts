import { describe, expect, it } from "vitest";
import { messyEndorsementFile } from "../../test/endorsement-csv.ts";
import { messyEndorsementWorkbook, workbookOf } from "../../test/endorsement-xlsx.ts";
import { EndorsementFileUnreadable, readEndorsementFile } from "./endorsement-file-reader.ts";
import { mapColumns, planRows } from "./endorsement-import.ts";

const NOW = new Date("2026-11-01T00:00:00.000Z");
const LETTER = {
  signers: "both" as const,
  allowUndisclosed: true,
  categories: ["Myanmar", "regional", "international"],
};
const MAP = {
  name: "Organisation name",
  signed_at: "Timestamp",
  visibility: "Show our name?",
  email: "Email address",
};

function plan(records: string[][]) {
  const [header, ...body] = records;
  return planRows(body, mapColumns(header!, MAP).columns, LETTER, NOW);
}

describe("reading endorsement files", () => {
  it("reads the messy 1,000-row form export as XLSX to exactly the rows its CSV form gives", async () => {
    const workbook = await messyEndorsementWorkbook(1000);
    const xlsx = await readEndorsementFile(workbook.bytes);
    expect(xlsx.format).toBe("xlsx");
    const csv = await readEndorsementFile(new TextEncoder().encode(messyEndorsementFile(1000).text));
    expect(csv.format).toBe("csv");
    const fromXlsx = plan(xlsx.records);
    const fromCsv = plan(csv.records);
    expect(fromXlsx.candidates).toHaveLength(1000);
    // Same rows, same numbers, same outcomes: date cells, bare serial numbers and text dates agree.
    expect(fromXlsx.candidates).toEqual(fromCsv.candidates);
    expect(fromXlsx.outcomes).toEqual(fromCsv.outcomes);
    const burmese = fromXlsx.candidates.find((c) => c.row === 2)!;
    expect(burmese.data).toMatchObject({ name: "မြန်မာ့အမျိုးသမီးအဖွဲ့", signedAt: "2026-01-13T00:00:00.000Z" });
    // The Zawgyi spelling at the end of the file is recognised as a repeat of row 3.
    expect(fromXlsx.outcomes.at(-1)).toMatchObject({
      outcome: "duplicate",
      code: "repeats",
      params: { row: 3 },
    });
  });

  it("keeps numbers as their digits and reads a date cell as UTC", async () => {
    const bytes = await workbookOf(
      ["name", "phone", "signed_at"],
      [["Athan", "0012", "2026-03-01T09:05:00Z"]],
      2,
    );
    const { records } = await readEndorsementFile(bytes);
    expect(records).toEqual([
      ["name", "phone", "signed_at"],
      ["Athan", "0012", "2026-03-01T09:05:00.000Z"],
    ]);
  });

  it("hashes a CSV file's text without its byte-order mark, so the same rows are the same file", async () => {
    const withBom = await readEndorsementFile(new TextEncoder().encode("\uFEFFname\nX\n"));
    const without = await readEndorsementFile(new TextEncoder().encode("name\nX\n"));
    expect(withBom.digestInput).toEqual(without.digestInput);
  });

  it("refuses files it cannot read, saying why", async () => {
    const refusal = (bytes: Uint8Array) =>
      readEndorsementFile(bytes).then(
        () => undefined,
        (error: unknown) => (error instanceof EndorsementFileUnreadable ? error.code : error),
      );
    expect(await refusal(new Uint8Array())).toBe("empty");
    expect(await refusal(Uint8Array.from([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xe9, 0x0a]))).toBe("notUtf8");
    expect(await refusal(new TextEncoder().encode('name\n"open\n'))).toBe("csvSyntax");
    expect(await refusal(Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toBe("oldExcel");
    expect(await refusal(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).toBe("notSpreadsheet");
  });
});
