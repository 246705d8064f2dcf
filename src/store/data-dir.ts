import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync } from "node:fs";
import path from "node:path";

/**
 * DATA_DIR holds the SQLite file, the local mailbox, uploads, response documents and the PDF cache: nothing
 * in it is anyone's business but the server's own user. Folders are 0700 and files 0600, set explicitly on
 * everything this process creates (SQLite's -wal and -shm files take the database file's mode).
 */
export const DATA_DIR_MODE = 0o700;
export const DATA_FILE_MODE = 0o600;

/**
 * Creates DATA_DIR 0700 if it is missing and tightens what an older version left readable by others
 * (0755 folders, 0644 files): run once at start, before anything is opened in it. Symbolic links are left
 * alone (their target may be outside DATA_DIR, chosen by the operator).
 */
export function prepareDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: DATA_DIR_MODE });
  tighten(dataDir);
}

function tighten(entry: string): void {
  const stat = lstatSync(entry);
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    if ((stat.mode & 0o777) !== DATA_DIR_MODE) chmodSync(entry, DATA_DIR_MODE);
    for (const name of readdirSync(entry)) tighten(path.join(entry, name));
  } else if ((stat.mode & 0o777) !== DATA_FILE_MODE) {
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
