import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { readEndorsementFile } from "../../domain/endorsement-file-reader.ts";

/*
 * An uploaded file kept between the console import's steps (routes/admin/import.ts): encrypted with a key derived from a
 * token only the coordinator's form holds, under a name derived from it too.
 */

/** The kept file's name and key, both derived from the form's token; neither reveals the token. */
export function keptFile(token: string): { name: string; key: Buffer } {
  const derive = (purpose: string) => createHash("sha256").update(`${purpose}:${token}`).digest();
  return { name: derive("import-file-name").toString("hex"), key: derive("import-file-key") };
}

/** iv (12 bytes) | tag (16 bytes) | ciphertext. */
export function encryptKept(bytes: Buffer, key: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(bytes), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function decryptKept(sealed: Buffer, key: Buffer): Buffer | undefined {
  if (sealed.length < 28) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(12, 28));
    return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
  } catch {
    return undefined;
  }
}

/** Kept files older than this are removed on the next use of the import routes. */
const KEEP_MS = 60 * 60 * 1000;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The folder of kept uploads (DATA_DIR/imports): keep a file under a fresh token, open it again from the
 * token a form sent back, and sweep what is older than an hour (a handful of files, so it is cheap and
 * needs no timer or process).
 */
export function keptUploads(folder: string) {
  async function sweep(now: Date): Promise<void> {
    let names: string[];
    try {
      names = await readdir(folder);
    } catch {
      return;
    }
    for (const name of names) {
      const file = path.join(folder, name);
      const info = await stat(file).catch(() => undefined);
      if (info && now.getTime() - info.mtimeMs > KEEP_MS) await rm(file, { force: true });
    }
  }

  return {
    sweep,
    /** Uploads left from before a restart are abandoned: their tokens went with forms nobody will send now. */
    clear: () => rm(folder, { recursive: true, force: true }),
    /** Keeps `bytes` encrypted and returns the token that opens them (it travels only in the form). */
    async keep(bytes: Buffer, now: Date): Promise<string> {
      await sweep(now);
      await mkdir(folder, { recursive: true, mode: 0o700 });
      const token = randomBytes(32).toString("base64url");
      const kept = keptFile(token);
      await writeFile(path.join(folder, kept.name), encryptKept(bytes, kept.key), { mode: 0o600 });
      return token;
    },
    /** The kept upload a form's token opens, read again; undefined once it is gone (or never was). */
    async open(token: string) {
      const kept = TOKEN.test(token) ? keptFile(token) : undefined;
      const sealed = kept ? await readFile(path.join(folder, kept.name)).catch(() => undefined) : undefined;
      const bytes = kept && sealed ? decryptKept(sealed, kept.key) : undefined;
      return kept && bytes
        ? { token, path: path.join(folder, kept.name), file: await readEndorsementFile(bytes) }
        : undefined;
    },
    remove: (file: string) => rm(file, { force: true }),
  };
}
