import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { DATA_DIR_MODE, DEMO_KEY_FILE } from "../store/data-dir.ts";
import { generateKeyPair, isKeyPair, type KeyPair } from "./seal.ts";

/*
 * The example campaign's key pair: the one exception to "the private key never touches the server"
 * (DESIGN.md, non-negotiable 1), so a newcomer can open the example's sealed endorsements. The file says
 * what it is, is readable by its owner only, and is reused if it already exists, so two processes starting
 * on the same data directory end up with one key.
 */

const WARNING =
  "DEMO KEY - NOT FOR REAL USE. This key pair belongs to the example campaign Undersigned creates on its " +
  "first start. Its private key is stored on the server, in this file, so anyone who can read this " +
  "directory can open everything sealed to it. Never use it to seal real endorsements: real campaigns " +
  "generate their own key with `undersigned keygen` and keep the private key off the server.";

type DemoKeyFile = KeyPair & { warning: string; demo: true; createdAt: string };

export async function loadOrCreateDemoKey(
  dataDir: string,
  now: Date,
): Promise<{ file: string; keyPair: KeyPair }> {
  const file = path.join(dataDir, DEMO_KEY_FILE);
  const existing = await readDemoKey(file);
  if (existing) return { file, keyPair: existing };

  const keyPair = await generateKeyPair();
  const content: DemoKeyFile = { warning: WARNING, demo: true, ...keyPair, createdAt: now.toISOString() };
  await mkdir(dataDir, { recursive: true, mode: DATA_DIR_MODE });
  try {
    // "wx": create only if absent, so a concurrent start cannot replace a key already in use.
    await writeFile(file, `${JSON.stringify(content, null, 2)}\n`, { flag: "wx", mode: 0o600 });
    return { file, keyPair };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const winner = await readDemoKey(file);
    if (!winner) throw invalid(file);
    return { file, keyPair: winner };
  }
}

async function readDemoKey(file: string): Promise<KeyPair | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<DemoKeyFile>;
    const keyPair = { publicKey: String(parsed.publicKey), privateKey: String(parsed.privateKey) };
    if (parsed.demo === true && (await isKeyPair(keyPair))) return keyPair;
  } catch {
    // Fall through: a damaged file is reported below, never silently replaced.
  }
  throw invalid(file);
}

function invalid(file: string): Error {
  return new Error(
    `${file} is not a valid demo key file; move it away to let Undersigned create a new demo key`,
  );
}
