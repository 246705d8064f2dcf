import { randomBytes } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { DATA_DIR_MODE, DATA_FILE_MODE } from "./data-dir.ts";

/**
 * Writes a file under DATA_DIR whole or not at all: under a temporary name in the same folder, then renamed
 * into place (atomic within a folder), so a crash or a full disk never leaves a truncated PDF or upload under
 * the name that is served or attached. The temporary name starts with a dot and is unique per write, so
 * concurrent writers of the same file do not collide and no file-name prefix of the folder matches it.
 */
export async function writeFileWhole(file: string, bytes: Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: DATA_DIR_MODE });
  const temporary = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString("hex")}`);
  await writeFile(temporary, bytes, { mode: DATA_FILE_MODE });
  await rename(temporary, file);
}
