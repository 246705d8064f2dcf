import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, rmdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Decrypter, Encrypter } from "age-encryption";
import {
  BACKED_UP_FILES,
  BACKED_UP_FOLDERS,
  DATA_DIR_MODE,
  DATA_FILE_MODE,
  SQLITE_FILE,
} from "./data-dir.ts";
import {
  BackupError,
  type DatabaseLocation,
  ensureEmptyDatabase,
  type RowCounts,
  restoreSnapshot,
  type SnapshotFormat,
  takeSnapshot,
} from "./database-snapshot.ts";
import type { Dialect } from "./db.ts";
import { readTar, type TarEntry, tarChunks } from "./tar.ts";

/*
 * A backup is one file: a tar archive (tar.ts) of
 *
 *   manifest.json          what the backup is: format, database kind, when it was taken, rows per table
 *   database/undersigned.sqlite | database/undersigned.pgdump | database/undersigned.pgexport
 *   data/…                 the DATA_DIR records (data-dir.ts: BACKED_UP_FOLDERS and BACKED_UP_FILES)
 *
 * encrypted to one or more age recipients in age's binary format (age-encryption.org/v1), so it can be
 * opened with `age -d -i KEYFILE` as well as with `undersigned restore`. The database holds the server
 * secret, password hashes, TOTP secrets and the addresses of mails not yet sent: a backup is written
 * unencrypted only when the operator asks for it (--plain). The file is written under a temporary name and
 * renamed when complete, so a crash never leaves a truncated backup under the name a rotation keeps.
 */

export const BACKUP_FORMAT = "undersigned-backup/1";
const AGE_MAGIC = "age-encryption.org/v1\n";

export type Manifest = { format: string; dialect: Dialect; takenAt: string; rows: RowCounts };

export type BackupTarget = { recipients: string[] } | { plain: true };

export type BackupSummary = { tables: number; rows: number; files: number };

/** Tells whether `recipient` is an age recipient this build can encrypt to (age1…). */
export function isAgeRecipient(recipient: string): boolean {
  try {
    new Encrypter().addRecipient(recipient);
    return true;
  } catch {
    return false;
  }
}

/** Writes a backup of the database and DATA_DIR to `out` (a file path, or a stream such as stdout). */
export async function writeBackup(
  location: DatabaseLocation,
  target: BackupTarget,
  out: string | NodeJS.WritableStream,
  now: Date,
): Promise<BackupSummary> {
  const snapshot = await takeSnapshot(location);
  const manifest: Manifest = {
    format: BACKUP_FORMAT,
    dialect: snapshot.dialect,
    takenAt: now.toISOString(),
    rows: snapshot.rows,
  };
  let files = 0;
  async function* entries(): AsyncGenerator<TarEntry> {
    yield { name: "manifest.json", bytes: Buffer.from(JSON.stringify(manifest, null, 2)) };
    yield { name: `database/${DATABASE_ENTRIES[snapshot.format]}`, bytes: snapshot.bytes };
    // After the database: a record the snapshot refers to was written before its row, so it is here.
    for await (const entry of dataDirEntries(location.dataDir)) {
      files += 1;
      yield entry;
    }
  }
  let stream = Readable.toWeb(Readable.from(tarChunks(entries()))) as ReadableStream<Uint8Array>;
  if ("recipients" in target) {
    const encrypter = new Encrypter();
    for (const recipient of target.recipients) encrypter.addRecipient(recipient);
    stream = await encrypter.encrypt(stream);
  }
  await writeWhole(stream, out);
  const rows = Object.values(snapshot.rows).reduce((sum, n) => sum + n, 0);
  return { tables: Object.keys(snapshot.rows).length, rows, files };
}

/** The archive's name for the database, by how it is held (a pg_dump archive, or the export without it). */
const DATABASE_ENTRIES: Record<SnapshotFormat, string> = {
  sqlite: SQLITE_FILE,
  pgdump: "undersigned.pgdump",
  pgexport: "undersigned.pgexport",
};

function formatOfEntry(name: string, dialect: Dialect): SnapshotFormat | undefined {
  const format = (Object.keys(DATABASE_ENTRIES) as SnapshotFormat[]).find(
    (f) => name === `database/${DATABASE_ENTRIES[f]}`,
  );
  return format && (format === "sqlite") === (dialect === "sqlite") ? format : undefined;
}

async function* dataDirEntries(dataDir: string): AsyncGenerator<TarEntry> {
  for (const name of BACKED_UP_FILES) yield* fileEntry(dataDir, name);
  for (const folder of BACKED_UP_FOLDERS) yield* folderEntries(dataDir, folder);
}

async function* folderEntries(dataDir: string, relative: string): AsyncGenerator<TarEntry> {
  const names = await readdir(path.join(dataDir, relative), { withFileTypes: true }).catch(missingIsEmpty);
  for (const entry of names.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    // Dot files are writeFileWhole's temporary files, not yet (or never) records.
    if (entry.name.startsWith(".")) continue;
    const name = `${relative}/${entry.name}`;
    if (entry.isDirectory()) yield* folderEntries(dataDir, name);
    else if (entry.isFile()) yield* fileEntry(dataDir, name);
  }
}

async function* fileEntry(dataDir: string, name: string): AsyncGenerator<TarEntry> {
  const bytes = await readFile(path.join(dataDir, name)).catch(missingIsEmpty);
  if (!Array.isArray(bytes)) yield { name: `data/${name}`, bytes };
}

function missingIsEmpty(error: NodeJS.ErrnoException): never[] {
  if (error.code === "ENOENT") return [];
  throw error;
}

async function writeWhole(stream: ReadableStream<Uint8Array>, out: string | NodeJS.WritableStream) {
  const source = nodeReadable(stream);
  if (typeof out !== "string") {
    await pipeline(source, out);
    return;
  }
  const temporary = path.join(path.dirname(out), `.${path.basename(out)}.${randomBytes(6).toString("hex")}`);
  try {
    await pipeline(source, createWriteStream(temporary, { mode: DATA_FILE_MODE, flags: "wx" }));
    await rename(temporary, out);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export type RestoreSummary = { manifest: Manifest; files: number };

/**
 * Restores a backup into an empty (or missing) DATA_DIR and, on PostgreSQL, an empty database. Everything is
 * unpacked into a folder beside DATA_DIR first and moved into place only when the database is restored and
 * its rows match the manifest, so a failed restore leaves DATA_DIR as it was.
 */
export async function restoreBackup(
  location: DatabaseLocation,
  file: string,
  identities: string[],
): Promise<RestoreSummary> {
  await ensureEmptyDataDir(location.dataDir);
  if (location.databaseUrl) await ensureEmptyDatabase(location.databaseUrl);
  await mkdir(path.dirname(location.dataDir), { recursive: true });
  const staging = await mkdtemp(
    path.join(path.dirname(location.dataDir), `.${path.basename(location.dataDir)}.restoring-`),
  );
  try {
    let manifest: Manifest | undefined;
    let database: { format: SnapshotFormat; bytes: Uint8Array } | undefined;
    let files = 0;
    for await (const entry of readTar(await openBackup(file, identities))) {
      if (!manifest) {
        manifest = readManifest(entry, location);
      } else if (formatOfEntry(entry.name, manifest.dialect)) {
        database = { format: formatOfEntry(entry.name, manifest.dialect)!, bytes: entry.bytes };
      } else {
        await writeRecord(staging, entry);
        files += 1;
      }
    }
    if (!manifest || !database) throw new BackupError("the backup holds no database (truncated or damaged)");
    const sqliteFile = path.join(staging, SQLITE_FILE);
    if (manifest.dialect === "sqlite") await writeFile(sqliteFile, database.bytes, { mode: DATA_FILE_MODE });
    await restoreSnapshot(
      { dialect: manifest.dialect, ...database, rows: manifest.rows },
      { databaseUrl: location.databaseUrl, sqliteFile },
    );
    if (existsSync(location.dataDir)) await rmdir(location.dataDir);
    await rename(staging, location.dataDir);
    return { manifest, files };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

async function ensureEmptyDataDir(dataDir: string): Promise<void> {
  const present = await readdir(dataDir).catch(missingIsEmpty);
  if (present.length > 0)
    throw new BackupError(
      `DATA_DIR ${dataDir} is not empty: restore only into a new, empty folder (move the old one aside first)`,
    );
}

/** The decrypted archive: age files need one of `identities`; an unencrypted (--plain) backup needs none. */
async function openBackup(file: string, identities: string[]): Promise<AsyncIterable<Uint8Array>> {
  const head = Buffer.alloc(AGE_MAGIC.length);
  const handle = await open(file, "r");
  await handle.read(head, 0, head.length, 0).finally(() => handle.close());
  const bytes = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
  if (head.toString("latin1") !== AGE_MAGIC) return nodeReadable(bytes);
  if (identities.length === 0)
    throw new BackupError("the backup is encrypted: give the age identity file with --identity KEYFILE");
  const decrypter = new Decrypter();
  for (const identity of identities) decrypter.addIdentity(identity);
  try {
    return nodeReadable(await decrypter.decrypt(bytes));
  } catch {
    throw new BackupError("none of the identities given can decrypt this backup");
  }
}

/** age-encryption speaks web streams; Node's streams iterate and pipe. */
const nodeReadable = (stream: ReadableStream<Uint8Array>) =>
  Readable.fromWeb(stream as import("node:stream/web").ReadableStream<Uint8Array>);

function readManifest(entry: TarEntry, location: DatabaseLocation): Manifest {
  let manifest: Manifest | undefined;
  try {
    if (entry.name === "manifest.json") manifest = JSON.parse(Buffer.from(entry.bytes).toString("utf8"));
  } catch {}
  if (manifest?.format !== BACKUP_FORMAT) throw new BackupError("this file is not an Undersigned backup");
  const here: Dialect = location.databaseUrl ? "postgres" : "sqlite";
  if (manifest.dialect !== here)
    throw new BackupError(
      manifest.dialect === "postgres"
        ? "this is a backup of a PostgreSQL database: set DATABASE_URL to a new, empty database to restore it"
        : "this is a backup of an SQLite database: unset DATABASE_URL to restore it into DATA_DIR",
    );
  return manifest;
}

/** Writes a DATA_DIR record, refusing any name outside the folders and files a backup takes. */
async function writeRecord(staging: string, entry: TarEntry): Promise<void> {
  const name = entry.name.replace(/^data\//, "");
  const parts = name.split("/");
  const allowed =
    entry.name.startsWith("data/") &&
    !parts.some((part) => part === "" || part === "." || part === "..") &&
    (parts.length === 1 ? BACKED_UP_FILES.includes(name) : BACKED_UP_FOLDERS.includes(parts[0]!));
  if (!allowed) throw new BackupError(`the backup holds an unexpected entry: ${entry.name}`);
  const target = path.join(staging, ...parts);
  await mkdir(path.dirname(target), { recursive: true, mode: DATA_DIR_MODE });
  await writeFile(target, entry.bytes, { mode: DATA_FILE_MODE });
}

export { BackupError };
