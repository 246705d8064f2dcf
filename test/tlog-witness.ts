import { createHash, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from "node:crypto";
import { createServer, type Server } from "node:http";

/*
 * A C2SP tlog-witness written for the tests from the specifications' text (tlog-witness, tlog-cosignature,
 * signed-note, tlog-checkpoint, RFC 9162's consistency proof check), with node:crypto only and none of the
 * repository's tlog code, so that our log's requests are checked by an implementation we did not share code
 * with. It keeps, per log origin it witnesses, the newest size and root it cosigned.
 */

const SPKI_ED25519 = Buffer.from("302a300506032b6570032100", "hex");
const sha256 = (...parts: Buffer[]) => createHash("sha256").update(Buffer.concat(parts)).digest();

function noteKeyId(name: string, type: number, publicKey: Buffer): Buffer {
  return sha256(Buffer.from(`${name}\n`), Buffer.from([type]), publicKey).subarray(0, 4);
}

/** RFC 9162 §2.1.4.2, verifying a consistency proof, transcribed step by step. */
function consistent(first: number, second: number, proof: Buffer[], firstRoot: Buffer, secondRoot: Buffer) {
  const node = (l: Buffer, r: Buffer) => sha256(Buffer.from([1]), l, r);
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (first === 0 || first > second) return false;
  if (proof.length === 0) return false;
  const path = (first & (first - 1)) === 0 ? [firstRoot, ...proof] : proof;
  let fn = first - 1;
  let sn = second - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn & 1 || fn === sn) {
      fr = node(c, fr);
      sr = node(c, sr);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn !== 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = node(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr.equals(firstRoot) && sr.equals(secondRoot) && sn === 0;
}

export type TestWitness = {
  name: string;
  /** Its verifier key as a log operator configures it (type 0x04, the cosignature key). */
  vkey: string;
  url: string;
  requests: { old: number; size: number; status: number }[];
  /** What it holds for the log: the newest size and root it cosigned. */
  latest: { size: number; root: Buffer };
  close(): Promise<void>;
};

export async function startTestWitness(
  name: string,
  log: { origin: string; vkey: string },
  options: { refuse?: number } = {},
): Promise<TestWitness> {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(SPKI_ED25519.length);
  const vkey = `${name}+${noteKeyId(name, 4, raw).toString("hex")}+${Buffer.concat([Buffer.from([4]), raw]).toString("base64")}`;
  // name+hash+base64, where the base64 may hold "+" itself.
  const [, logName, logHash, logKeyText] = /^([^+]+)\+([^+]+)\+(.+)$/.exec(log.vkey) as unknown as [
    string,
    string,
    string,
    string,
  ];
  const logKeyBytes = Buffer.from(logKeyText, "base64");
  const logKey: KeyObject = createPublicKey({
    key: Buffer.concat([SPKI_ED25519, logKeyBytes.subarray(1)]),
    format: "der",
    type: "spki",
  });
  const latest = { size: 0, root: sha256() };
  const requests: TestWitness["requests"] = [];

  const answer = (body: string): { status: number; type?: string; text: string } => {
    const lines = body.split("\n");
    const old = /^old (\d+)$/.exec(lines[0] ?? "");
    if (!old) return { status: 400, text: "no old line\n" };
    const blank = lines.indexOf("", 1);
    if (blank < 0) return { status: 400, text: "no empty line\n" };
    const proof = lines.slice(1, blank).map((l) => Buffer.from(l, "base64"));
    const note = lines.slice(blank + 1).join("\n");
    const split = note.indexOf("\n\n");
    if (split < 0) return { status: 400, text: "not a note\n" };
    const text = note.slice(0, split + 1);
    const [origin, sizeText, rootText] = text.split("\n") as [string, string, string];
    if (origin !== logName) return { status: 404, text: "unknown log\n" };
    const signed = note
      .slice(split + 2)
      .split("\n")
      .some((line) => {
        const match = /^— (\S+) (\S+)$/.exec(line);
        if (!match || match[1] !== logName) return false;
        const bytes = Buffer.from(match[2]!, "base64");
        return (
          bytes.subarray(0, 4).toString("hex") === logHash &&
          verify(null, Buffer.from(text), logKey, bytes.subarray(4))
        );
      });
    if (!signed) return { status: 403, text: "not signed by the log's key\n" };
    const oldSize = Number(old[1]);
    const size = Number(sizeText);
    const root = Buffer.from(rootText, "base64");
    if (oldSize !== latest.size) return { status: 409, type: "text/x.tlog.size", text: `${latest.size}\n` };
    if (size < oldSize) return { status: 400, text: "size below old size\n" };
    if (oldSize === 0 ? proof.length !== 0 : !consistent(oldSize, size, proof, latest.root, root))
      return { status: 422, text: "the consistency proof does not verify\n" };
    latest.size = size;
    latest.root = root;
    const time = BigInt(Math.floor(Date.now() / 1000));
    const timeBytes = Buffer.alloc(8);
    timeBytes.writeBigUInt64BE(time);
    const signature = sign(null, Buffer.from(`cosignature/v1\ntime ${time}\n${text}`), privateKey);
    const line = Buffer.concat([noteKeyId(name, 4, raw), timeBytes, signature]).toString("base64");
    return { status: 200, text: `— ${name} ${line}\n` };
  };

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const result =
        request.method !== "POST" || request.url !== "/add-checkpoint"
          ? { status: 404, text: "not found\n" }
          : options.refuse
            ? { status: options.refuse, text: "refused\n" }
            : answer(body);
      const old = Number(/^old (\d+)/.exec(body)?.[1] ?? -1);
      const size = Number(body.split("\n\n")[1]?.split("\n")[1] ?? -1);
      requests.push({ old, size, status: result.status });
      response.writeHead(result.status, { "content-type": result.type ?? "text/plain; charset=utf-8" });
      response.end(result.text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    name,
    vkey,
    url: `http://127.0.0.1:${port}`,
    requests,
    latest,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
