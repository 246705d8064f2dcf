import { describe, expect, it } from "vitest";
import { toBase64 } from "./bytes.ts";
import {
  cosignatureLine,
  cosignatureVerifierKey,
  formatCheckpoint,
  formatSignerKey,
  formatVerifierKey,
  generateSigner,
  openNote,
  parseCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  signNote,
} from "./note.ts";

describe("signed notes", () => {
  it("verify the signed-note specification's example with its verifier key", () => {
    const key = parseVerifierKey("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")!;
    expect(key).not.toBeNull();
    const note =
      "This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";
    expect(openNote(note, [key])?.text).toBe("This is an example message.\n");
    expect(openNote(note.replace("example message", "example messagE"), [key])).toBeNull();
  });

  it("round-trip keys, sign and verify, ignore unknown signers and refuse a bad known signature", () => {
    const signer = generateSigner("letters.example.org/log");
    const reparsed = parseSignerKey(formatSignerKey(signer))!;
    expect(toBase64(reparsed.publicKey)).toBe(toBase64(signer.publicKey));
    const vkey = parseVerifierKey(formatVerifierKey(signer))!;
    expect(formatVerifierKey(vkey)).toMatch(/^letters\.example\.org\/log\+[0-9a-f]{8}\+A/);
    const note = signNote("a\nb\n", signer);
    expect(openNote(note, [vkey])?.verifiedBy).toEqual([vkey]);

    const stranger = generateSigner("someone.example");
    const twice = `${note}${signNote("a\nb\n", stranger).split("\n\n")[1]}`;
    expect(openNote(twice, [vkey])?.text).toBe("a\nb\n");
    expect(openNote(note, [parseVerifierKey(formatVerifierKey(stranger))!])).toBeNull();

    // Same name and key id, wrong signature: the whole note is refused.
    const forged = note.replace(
      / (\S+)\n$/,
      (_, sig: string) => ` ${sig.slice(0, 10)}${sig[10] === "A" ? "B" : "A"}${sig.slice(11)}\n`,
    );
    expect(openNote(forged, [vkey])).toBeNull();
    expect(parseVerifierKey(formatVerifierKey(signer).replace(/\+[0-9a-f]{8}\+/, "+00000000+"))).toBeNull();
    expect(parseSignerKey("PRIVATE+KEY+x+00000000+AAAA")).toBeNull();
  });

  it("format and parse checkpoints strictly", () => {
    const root = new Uint8Array(32).fill(7);
    const text = formatCheckpoint({ origin: "letters.example.org/log", size: 12, root });
    expect(text).toBe(`letters.example.org/log\n12\n${toBase64(root)}\n`);
    expect(parseCheckpoint(text)).toEqual({ origin: "letters.example.org/log", size: 12, root });
    expect(parseCheckpoint(text.replace("\n12\n", "\n012\n"))).toBeNull();
    expect(parseCheckpoint(`${text}extension\n`)).toBeNull();
  });

  it("verify witness cosignatures (tlog-cosignature/v1) on a checkpoint", () => {
    const log = generateSigner("letters.example.org/log");
    const witness = generateSigner("witness.example/w1");
    const text = formatCheckpoint({ origin: log.name, size: 3, root: new Uint8Array(32) });
    const note = signNote(text, log) + cosignatureLine(witness, text, 1_700_000_000n);
    const keys = [parseVerifierKey(formatVerifierKey(log))!, cosignatureVerifierKey(witness)];
    expect(openNote(note, keys)?.verifiedBy.map((k) => k.name)).toEqual([log.name, witness.name]);
    const other = signNote(formatCheckpoint({ origin: log.name, size: 4, root: new Uint8Array(32) }), log);
    expect(openNote(other + cosignatureLine(witness, text, 1_700_000_000n), keys)).toBeNull();
    expect(parseVerifierKey(formatVerifierKey(cosignatureVerifierKey(witness)))).toEqual(
      cosignatureVerifierKey(witness),
    );
  });
});
