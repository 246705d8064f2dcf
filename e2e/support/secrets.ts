import { expect } from "vitest";
import type { SentRequest } from "./journey.ts";

/**
 * Every spelling in which a coalition private key (base64), its key file or its passphrase could travel:
 * as is, in base64url and hex, URL-encoded and form-encoded, and as raw bytes.
 */
export function secretForms(
  privateKeyBase64: string,
  keyFileText: string,
  passphrase: string,
): { text: string[]; bytes: Buffer[] } {
  const raw = Buffer.from(privateKeyBase64, "base64");
  const file = JSON.parse(keyFileText) as { cipher: { ciphertext: string } };
  const text = [
    privateKeyBase64,
    raw.toString("base64url"),
    raw.toString("hex"),
    raw.toString("hex").toUpperCase(),
    keyFileText,
    JSON.stringify(JSON.parse(keyFileText)),
    file.cipher.ciphertext,
    passphrase,
  ].flatMap((form) => [form, encodeURIComponent(form), new URLSearchParams({ v: form }).toString().slice(2)]);
  return { text: [...new Set(text)], bytes: [raw, ...text.map((form) => Buffer.from(form))] };
}

/** Checks the URL, every header and the body of each request, the body byte by byte. */
export function expectNoneCarries(
  requests: SentRequest[],
  secrets: { text: string[]; bytes: Buffer[] },
): void {
  for (const request of requests) {
    const visible = [request.url, ...Object.entries(request.headers).flat()].join("\n");
    for (const secret of secrets.text) expect(visible.includes(secret), request.url).toBe(false);
    const bytes = Buffer.concat([Buffer.from(visible, "latin1"), request.postData ?? Buffer.alloc(0)]);
    for (const secret of secrets.bytes) expect(bytes.includes(secret), request.url).toBe(false);
  }
}
