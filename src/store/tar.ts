/*
 * The archive inside a backup is a plain POSIX tar (ustar) of regular files, so an operator can look into a
 * decrypted backup with `age -d -i key.txt backup.age | tar t` without Undersigned. Only what backups need is
 * written and read: regular files, mode 0600, no owner, and no modification time (a file's time could say
 * when someone acted; the backup's manifest carries the one time that matters).
 */

const BLOCK = 512;

export type TarEntry = { name: string; bytes: Uint8Array };

/** The archive of `entries`, as a stream of chunks, ending with the two empty blocks tar expects. */
export async function* tarChunks(entries: AsyncIterable<TarEntry>): AsyncGenerator<Uint8Array> {
  for await (const entry of entries) {
    yield header(entry.name, entry.bytes.length);
    yield entry.bytes;
    const padding = (BLOCK - (entry.bytes.length % BLOCK)) % BLOCK;
    if (padding > 0) yield new Uint8Array(padding);
  }
  yield new Uint8Array(2 * BLOCK);
}

function header(name: string, size: number): Uint8Array {
  const block = Buffer.alloc(BLOCK);
  const [prefix, base] = splitName(name);
  block.write(base, 0, 100, "utf8");
  block.write("0000600\0", 100, "ascii");
  block.write("0000000\0", 108, "ascii");
  block.write("0000000\0", 116, "ascii");
  block.write(`${size.toString(8).padStart(11, "0")}\0`, 124, "ascii");
  block.write("00000000000\0", 136, "ascii");
  block.write("0", 156, "ascii");
  block.write("ustar\0", 257, "ascii");
  block.write("00", 263, "ascii");
  block.write(prefix, 345, 155, "utf8");
  block.write("        ", 148, "ascii");
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "ascii");
  return block;
}

/** ustar keeps names of up to 100 bytes, or 255 split at a slash into a prefix and a name. */
function splitName(name: string): [string, string] {
  if (Buffer.byteLength(name) <= 100) return ["", name];
  for (let cut = name.indexOf("/"); cut !== -1; cut = name.indexOf("/", cut + 1)) {
    const prefix = name.slice(0, cut);
    const base = name.slice(cut + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(base) <= 100) return [prefix, base];
  }
  throw new Error(`a file name too long for a backup: ${name}`);
}

/**
 * The regular files of a tar stream, one at a time, whole. Throws on anything that is not a well-formed
 * archive of regular files (a damaged or truncated backup must not restore half-way unnoticed).
 */
export async function* readTar(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<TarEntry> {
  let buffered = Buffer.alloc(0);
  const iterator = chunks[Symbol.asyncIterator]();
  const take = async (length: number): Promise<Buffer> => {
    while (buffered.length < length) {
      const next = await iterator.next();
      if (next.done) throw new Error("the backup archive ends early (truncated or damaged)");
      buffered = Buffer.concat([buffered, next.value]);
    }
    const taken = buffered.subarray(0, length);
    buffered = buffered.subarray(length);
    return taken;
  };
  for (;;) {
    const block = await take(BLOCK);
    if (block.every((byte) => byte === 0)) return;
    const stored = Number.parseInt(block.toString("ascii", 148, 156).replace(/[\0 ]/g, ""), 8);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
    if (sum !== stored) throw new Error("the backup archive is damaged (a header's checksum is wrong)");
    const type = block.toString("ascii", 156, 157);
    if (type !== "0" && type !== "\0") throw new Error("the backup archive holds something other than files");
    const size = Number.parseInt(block.toString("ascii", 124, 136).replace(/[\0 ]/g, ""), 8);
    const base = cString(block, 0, 100);
    const prefix = cString(block, 345, 155);
    const bytes = Buffer.from(await take(size));
    await take((BLOCK - (size % BLOCK)) % BLOCK);
    yield { name: prefix ? `${prefix}/${base}` : base, bytes };
  }
}

function cString(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.toString("utf8", 0, end === -1 ? length : end);
}
