/*
 * Characters no field of any form may carry, whatever it is for. The form parser decodes bytes that are not
 * UTF-8 (and percent-escapes of them) to U+FFFD, so "invalid encoding" is a U+FFFD or a lone surrogate; a
 * control character other than tab, line feed and carriage return has no place in typed text, would be
 * published as it is, and a NUL is refused by PostgreSQL. Both are refused with a message beside the field,
 * never silently removed, so nobody's text changes behind their back.
 */

export type TextProblem = "field.invalidEncoding" | "field.controlCharacter";

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const FORBIDDEN_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const BROKEN_ENCODING = /\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function textProblem(value: string): TextProblem | undefined {
  if (BROKEN_ENCODING.test(value)) return "field.invalidEncoding";
  if (FORBIDDEN_CONTROLS.test(value)) return "field.controlCharacter";
  return undefined;
}

/** The first problem among a form's string values (arrays included), field by field. */
export function textProblems(form: unknown): Record<string, TextProblem> {
  const problems: Record<string, TextProblem> = {};
  if (typeof form !== "object" || form === null) return problems;
  for (const [field, value] of Object.entries(form)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      const problem = typeof v === "string" ? textProblem(v) : undefined;
      if (problem) {
        problems[field] = problem;
        break;
      }
    }
  }
  return problems;
}
