import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync } from "node:fs";
import path from "node:path";

/**
 * DATA_DIR holds the SQLite file, the local mailbox, uploads, response documents and the PDF cache: nothing
 * in it is anyone's business but the server's own user. Folders are 0700 and files 0600, set explicitly on
 * everything this process creates (SQLite's -wal and -shm files take the database file's mode).
 */
export const DATA_DIR_MODE = 0o700;
export const DATA_FILE_MODE = 0o600;

/** The SQLite database's file in DATA_DIR (with its -wal, -shm and -journal companions). */
export const SQLITE_FILE = "undersigned.sqlite";
/** The example campaign's DEMO key pair. */
export const DEMO_KEY_FILE = "demo-coalition-key.json";

/**
 * Everything Undersigned keeps in DATA_DIR. Only these are ever tightened: DATA_DIR may be a folder the
 * operator also uses for other things, and their modes are not ours to change.
 */
export const DATA_DIR_FILES: readonly string[] = [
  SQLITE_FILE,
  `${SQLITE_FILE}-wal`,
  `${SQLITE_FILE}-shm`,
  `${SQLITE_FILE}-journal`,
  DEMO_KEY_FILE,
];
/** Folders of files Undersigned alone writes, so everything inside them is its own. */
export const DATA_DIR_FOLDERS: readonly string[] = [
  "mailbox",
  "uploads",
  "responses",
  "deliveries",
  "pdf-cache",
  "imports",
];

/**
 * What a backup takes of DATA_DIR besides the database: the records (logos and response documents, the PDFs
 * as delivered) and the example campaign's demo key. Not the PDF cache or import drafts (made again or
 * short-lived), and not the local mailbox: it is mail already delivered, addresses and links included.
 */
export const BACKED_UP_FOLDERS: readonly string[] = ["uploads", "responses", "deliveries"];
export const BACKED_UP_FILES: readonly string[] = [DEMO_KEY_FILE];

/**
 * Creates DATA_DIR 0700 if it is missing and tightens what an older version of Undersigned left readable
 * by others (0755 folders, 0644 files): run once at start, before anything is opened in it. Only
 * Undersigned's own files and folders are touched. DATA_DIR itself is made 0700 when it holds nothing
 * else; when it holds other things it is left as it is, and their names are returned so the operator can
 * be told to give Undersigned a folder of its own. Symbolic links are left alone (their target may be
 * outside DATA_DIR, chosen by the operator).
 */
export function prepareDataDir(dataDir: string): { foreign: string[] } {
  mkdirSync(dataDir, { recursive: true, mode: DATA_DIR_MODE });
  const foreign: string[] = [];
  for (const name of readdirSync(dataDir)) {
    const entry = path.join(dataDir, name);
    if (DATA_DIR_FOLDERS.includes(name) && isFolder(entry)) tighten(entry);
    else if (DATA_DIR_FILES.includes(name) && isFile(entry)) tighten(entry);
    // Undersigned's own temporary files: writeFileWhole's ".name.random" beside the file it replaces.
    else if (!(name.startsWith(".") && DATA_DIR_FILES.some((file) => name.startsWith(`.${file}.`))))
      foreign.push(name);
  }
  if (foreign.length === 0) tighten(dataDir, false);
  return { foreign };
}

const isFolder = (entry: string) => lstatSync(entry).isDirectory();
const isFile = (entry: string) => lstatSync(entry).isFile();

function tighten(entry: string, recursive = true): void {
  const stat = lstatSync(entry);
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    if ((stat.mode & 0o777) !== DATA_DIR_MODE) chmodSync(entry, DATA_DIR_MODE);
    if (recursive) for (const name of readdirSync(entry)) tighten(path.join(entry, name));
  } else if (stat.isFile() && (stat.mode & 0o777) !== DATA_FILE_MODE) {
    chmodSync(entry, DATA_FILE_MODE);
  }
}

/**
 * Creates an empty file 0600 unless it exists. SQLite gives its -wal and -shm files the main database
 * file's permissions, so creating that file 0600 before SQLite opens it keeps all three private.
 */
export function touchPrivateFile(file: string): void {
  closeSync(openSync(file, "a", DATA_FILE_MODE));
  chmodSync(file, DATA_FILE_MODE);
}
