import type { FastifyReply } from "fastify";
import { z } from "zod";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../crypto/passwords.ts";
import { textProblems } from "../../domain/text-input.ts";
import { en } from "../../i18n/en.ts";
import type { MessageKey, Translate } from "../../i18n/index.ts";

/*
 * Form validation: one zod schema per form whose messages are i18n keys, turned here into one translated
 * message per field. Limits found in the issue (minimum, maximum) fill the message's placeholders, so
 * "Use at least {min} characters." always states the schema's real limit.
 */

export type FieldErrors = Partial<Record<string, string>>;

export type FormOutcome<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

function isMessageKey(value: string): value is MessageKey {
  return Object.hasOwn(en, value);
}

export function parseForm<T>(schema: z.ZodType<T>, body: unknown, t: Translate): FormOutcome<T> {
  // Control characters and broken encoding are refused in every field of every form, before the schema
  // (and anything after it, the Zawgyi detector or the database) sees them.
  const errors: FieldErrors = Object.fromEntries(
    Object.entries(textProblems(body)).map(([field, key]) => [field, t(key)]),
  );
  const result = schema.safeParse(body ?? {});
  if (result.success && Object.keys(errors).length === 0) return { ok: true, data: result.data };
  if (result.success) return { ok: false, errors };
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form");
    if (errors[field]) continue;
    const key = isMessageKey(issue.message) ? issue.message : "error.validation";
    const limits = issue as { minimum?: unknown; maximum?: unknown };
    errors[field] = t(key, {
      ...(typeof limits.minimum === "number" ? { min: limits.minimum } : {}),
      ...(typeof limits.maximum === "number" ? { max: limits.maximum } : {}),
    });
  }
  return { ok: false, errors };
}

/** A required single-line text field, trimmed, with a length cap. */
export function requiredText(max: number) {
  return z.string({ error: "field.required" }).trim().min(1, "field.required").max(max, "field.tooLong");
}

export const emailField = requiredText(254).pipe(z.email("field.email"));

/** A new password: a length check only (no composition rules), so long passphrases are welcome. */
export const newPasswordField = z
  .string({ error: "field.required" })
  .min(PASSWORD_MIN_LENGTH, "field.passwordShort")
  .max(PASSWORD_MAX_LENGTH, "field.tooLong");

/** A new password typed twice; a mismatch is reported on the second field. */
export function withRepeatedPassword<T extends z.ZodRawShape>(shape: T) {
  return z
    .object({ ...shape, password: newPasswordField, passwordRepeat: z.string({ error: "field.required" }) })
    .refine(
      (form) =>
        (form as { password: string }).password === (form as { passwordRepeat: string }).passwordRepeat,
      {
        message: "field.passwordMismatch",
        path: ["passwordRepeat"],
      },
    );
}

/** An optional field: absent and empty both mean "not given". */
export function optionalText(max: number) {
  return z
    .string({ error: "field.required" })
    .trim()
    .max(max, "field.tooLong")
    .optional()
    .transform((value) => (value ? value : undefined));
}

/** Sets Retry-After on a rate-limited answer and returns the whole minutes to tell the person. */
export function retryAfter(reply: FastifyReply, retryAfterMs: number): number {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  reply.header("retry-after", String(minutes * 60));
  return minutes;
}

/** What the person typed into a text field, to show it again; never used for passwords. */
export function typed(body: unknown, field: string): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[field];
  return typeof value === "string" ? value : undefined;
}
