import { AppError } from "../../domain/app-error.ts";
import type { FieldProblems } from "../../domain/sign-form.ts";
import type { Translate } from "../../i18n/index.ts";
import type { FieldErrors } from "./parse-form.ts";

/**
 * A command's field errors (message keys) as the messages shown beside the fields, each filled with the
 * error's parameters and the field's own limits.
 */
export function translatedFieldErrors(error: AppError, t: Translate): FieldErrors {
  return Object.fromEntries(
    Object.entries(error.fields).map(([field, key]) => [
      field,
      t(key, { ...error.params, ...error.fieldParams[field] }),
    ]),
  );
}

/**
 * A command's refusal of what was typed, as a form shows it again: each field's reason and the summary
 * above the form. Undefined for any other error, which the route rethrows.
 */
export function invalidForm(
  error: unknown,
  t: Translate,
): { errors: FieldErrors; problem: string } | undefined {
  return error instanceof AppError && error.code === "validation"
    ? { errors: translatedFieldErrors(error, t), problem: t("error.validation") }
    : undefined;
}

/** The sign form's field problems (message keys with their limits) as messages. */
export function translateProblems(problems: FieldProblems, t: Translate): FieldErrors {
  const errors: FieldErrors = {};
  for (const [field, problem] of Object.entries(problems)) {
    if (problem) errors[field] = t(problem.key, problem.params);
  }
  return errors;
}
