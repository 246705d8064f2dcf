import { zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { messyEndorsementWorkbook } from "../../test/endorsement-xlsx.ts";
import { EndorsementFileUnreadable, readEndorsementFile } from "./endorsement-file-reader.ts";
import { XLSX_LIMITS, zipBoundsProblem } from "./zip-bounds.ts";

/** Offsets of the one entry's central directory record and local header in a single-entry archive. */
function offsets(zip: Uint8Array): { directory: number; local: number } {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.length - 22;
  expect(view.getUint32(end, true)).toBe(0x06054b50);
  const directory = view.getUint32(end + 16, true);
  return { directory, local: view.getUint32(directory + 42, true) };
}

function declare(zip: Uint8Array, where: number, unpackedSize: number): Uint8Array {
  const copy = zip.slice();
  new DataView(copy.buffer).setUint32(where, unpackedSize, true);
  return copy;
}

async function refusal(bytes: Uint8Array): Promise<EndorsementFileUnreadable> {
  const error = await readEndorsementFile(bytes).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EndorsementFileUnreadable);
  return error as EndorsementFileUnreadable;
}

describe("a workbook's ZIP directory, read before anything is unpacked", () => {
  it("lets a real workbook through", async () => {
    const workbook = new Uint8Array((await messyEndorsementWorkbook(20)).bytes);
    expect(zipBoundsProblem(workbook)).toBeUndefined();
    expect((await readEndorsementFile(workbook)).records.length).toBeGreaterThan(3);
  });

  it("refuses a zip bomb: an entry packed far beyond any spreadsheet's ratio", async () => {
    const bomb = zipSync({ "xl/worksheets/sheet1.xml": new Uint8Array(4 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(20_000);
    expect(zipBoundsProblem(bomb)).toEqual({ kind: "tooCompressed", max: XLSX_LIMITS.maxRatio });
    const error = await refusal(bomb);
    expect([error.code, error.params]).toEqual(["zip.tooCompressed", { max: XLSX_LIMITS.maxRatio }]);
  });

  it("refuses an archive declaring more unpacked bytes than the limit, before inflating any", async () => {
    const zip = zipSync({ "xl/sharedStrings.xml": new TextEncoder().encode("<sst/>") });
    const { directory, local } = offsets(zip);
    const huge = XLSX_LIMITS.maxUnpackedBytes + 1;
    const declared = declare(declare(zip, directory + 24, huge), local + 22, huge);
    expect((await refusal(declared)).code).toBe("zip.tooLarge");
  });

  it("refuses more entries than any workbook holds", async () => {
    const entries = Object.fromEntries(
      Array.from({ length: XLSX_LIMITS.maxEntries + 1 }, (_, i) => [`x/${i}.xml`, new Uint8Array(1)]),
    );
    const error = await refusal(zipSync(entries, { level: 0 }));
    expect([error.code, error.params]).toEqual(["zip.tooManyEntries", { max: XLSX_LIMITS.maxEntries }]);
  });

  it("refuses an entry whose local header and directory disagree about its size", async () => {
    const zip = zipSync({ "xl/worksheets/sheet1.xml": new TextEncoder().encode("<worksheet/>") });
    const { local } = offsets(zip);
    expect((await refusal(declare(zip, local + 22, 5))).code).toBe("zip.inconsistent");
  });

  it("never inflates an entry past the size it declares, so a lie about it is read short and refused", async () => {
    const workbook = new Uint8Array((await messyEndorsementWorkbook(20)).bytes);
    // Shrink every entry's declared size, in the directory and the local headers alike: consistent, but false.
    const lying = workbook.slice();
    const view = new DataView(lying.buffer);
    const end = lying.length - 22;
    let at = view.getUint32(end + 16, true);
    for (let i = 0; i < view.getUint16(end + 10, true); i++) {
      const local = view.getUint32(at + 42, true);
      const size = Math.max(1, Math.floor(view.getUint32(at + 24, true) / 4));
      view.setUint32(at + 24, size, true);
      view.setUint32(local + 22, size, true);
      at +=
        46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    }
    expect(zipBoundsProblem(lying)).toBeUndefined();
    expect((await refusal(lying)).code).toBe("notSpreadsheet");
  });

  it("leaves what has no directory at all to the reader, which refuses it, without reading past the end", async () => {
    for (const bytes of [new Uint8Array([0x50, 0x4b, 0x03, 0x04]), new Uint8Array(30), new Uint8Array(3)])
      expect(zipBoundsProblem(bytes)).toBeUndefined();
    expect((await refusal(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).code).toBe("notSpreadsheet");
  });
});
