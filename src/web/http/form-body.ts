import type { FastifyInstance } from "fastify";

/*
 * URL-encoded form bodies. Limits are about characters, since that is what every field's limit counts: the
 * longest field (a letter's body) takes 100,000 characters, and a character takes at most nine bytes once
 * URL-encoded (three UTF-8 bytes, each written %XX), so a Burmese letter body at its limit is 900 KB on
 * the wire. The body limit leaves room for that and every other field of the letter form beside it; a form
 * within it is always parsed, so a field over its own limit is answered beside the field with what was
 * typed. Only a body beyond it (nobody typed that) gets the plain "too large" page.
 *
 * Bytes that are not UTF-8, raw or percent-encoded, decode to U+FFFD here instead of surviving as literal
 * "%E0%A4"; the form's parse step then refuses them beside their field (domain/text-input.ts).
 */

/** The longest text field of any form, in characters. */
export const LONGEST_FIELD_CHARACTERS = 100_000;
/** The most bytes one character takes URL-encoded. */
const MAX_BYTES_PER_CHARACTER = 9;
/** Twice the longest field: the letter form's other fields fit in the second half. */
export const FORM_BODY_LIMIT = 2 * LONGEST_FIELD_CHARACTERS * MAX_BYTES_PER_CHARACTER;

export type FormBody = Record<string, string | string[]>;

/** Decodes a URL-encoded body; a name given twice or more becomes an array, in order. */
export function parseFormBody(body: string): FormBody {
  const form: FormBody = Object.create(null);
  for (const [name, value] of new URLSearchParams(body)) {
    const before = form[name];
    if (before === undefined) form[name] = value;
    else if (Array.isArray(before)) before.push(value);
    else form[name] = [before, value];
  }
  return form;
}

export function registerFormBodyParser(app: FastifyInstance): void {
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string", bodyLimit: FORM_BODY_LIMIT },
    (_request, body, done) => done(null, parseFormBody(body as string)),
  );
}
