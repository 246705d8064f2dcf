/*
 * An XLSX workbook is a ZIP archive, and a ZIP archive of a few kilobytes can unpack to gigabytes (a "zip
 * bomb"), or hold a hundred thousand entries. read-excel-file (through fflate) unpacks each entry into a
 * buffer of the size the archive's central directory declares for it, never more; so bounding what the
 * directory declares bounds what is inflated. This reads the directory before anything is unpacked and
 * refuses an archive whose entries are too many, whose declared sizes add up to too much, whose entries
 * declare a compression no spreadsheet reaches, or whose local headers disagree with the directory about
 * an entry's sizes (an archive built to be read differently by different readers).
 *
 * Pure byte reading (no Node, no zlib): it runs in the browser as well, where a coordinator's sealed import
 * reads the same workbook.
 */

export type ZipLimits = {
  /** Entries in the archive; a workbook has a dozen or two, one per sheet, style, string table… */
  maxEntries: number;
  /** The sum of every entry's declared unpacked size. */
  maxUnpackedBytes: number;
  /** Declared unpacked size over packed size, for entries large enough to matter. */
  maxRatio: number;
};

/** Generous for any real workbook that fits the 16 MB upload (its sheets unpack to ~10 times the file). */
export const XLSX_LIMITS: ZipLimits = {
  maxEntries: 2000,
  maxUnpackedBytes: 256 * 1024 * 1024,
  maxRatio: 200,
};

/** Entries smaller than this unpacked are not held to the ratio: tiny repetitive parts compress far. */
const RATIO_FLOOR_BYTES = 1024 * 1024;

export type ZipProblem =
  | { kind: "tooManyEntries"; max: number }
  | { kind: "tooLarge"; maxMegabytes: number }
  | { kind: "tooCompressed"; max: number }
  | { kind: "inconsistent" };

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const END_RECORD_BYTES = 22;
const MAX_COMMENT_BYTES = 0xffff;
/** General-purpose flag bit 3: the sizes follow the data, and the local header holds zeros. */
const SIZES_AFTER_DATA = 0x0008;

/** Why the archive must not be unpacked, or undefined when its directory stays within the limits. */
export function zipBoundsProblem(bytes: Uint8Array, limits: ZipLimits = XLSX_LIMITS): ZipProblem | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const fits = (at: number, length: number) => at >= 0 && at + length <= bytes.length;

  let end = -1;
  const earliest = Math.max(0, bytes.length - END_RECORD_BYTES - MAX_COMMENT_BYTES);
  for (let at = bytes.length - END_RECORD_BYTES; at >= earliest; at--) {
    if (u32(at) === END_OF_DIRECTORY) {
      end = at;
      break;
    }
  }
  // Not a ZIP archive at all: nothing would be unpacked, and the reader refuses it as no spreadsheet.
  if (end === -1) return undefined;
  const entries = u16(end + 10);
  const directoryOffset = u32(end + 16);
  // ZIP64 (more than 65,535 entries or 4 GB) marks these fields with all ones; no workbook needs it.
  if (entries === 0xffff || directoryOffset === 0xffffffff)
    return { kind: "tooLarge", maxMegabytes: megabytes(limits) };
  if (entries > limits.maxEntries) return { kind: "tooManyEntries", max: limits.maxEntries };

  let unpacked = 0;
  let at = directoryOffset;
  for (let i = 0; i < entries; i++) {
    if (!fits(at, 46) || u32(at) !== DIRECTORY_ENTRY) return { kind: "inconsistent" };
    const flags = u16(at + 8);
    const packedSize = u32(at + 20);
    const unpackedSize = u32(at + 24);
    const entryBytes = 46 + u16(at + 28) + u16(at + 30) + u16(at + 32);
    const local = u32(at + 42);
    if (packedSize === 0xffffffff || unpackedSize === 0xffffffff)
      return { kind: "tooLarge", maxMegabytes: megabytes(limits) };
    unpacked += unpackedSize;
    if (unpacked > limits.maxUnpackedBytes) return { kind: "tooLarge", maxMegabytes: megabytes(limits) };
    if (unpackedSize > RATIO_FLOOR_BYTES && unpackedSize > limits.maxRatio * Math.max(packedSize, 1))
      return { kind: "tooCompressed", max: limits.maxRatio };
    if (!fits(local, 30) || u32(local) !== LOCAL_HEADER) return { kind: "inconsistent" };
    if (!(flags & SIZES_AFTER_DATA) && (u32(local + 18) !== packedSize || u32(local + 22) !== unpackedSize))
      return { kind: "inconsistent" };
    at += entryBytes;
  }
  return undefined;
}

function megabytes(limits: ZipLimits): number {
  return Math.round(limits.maxUnpackedBytes / 1024 / 1024);
}
