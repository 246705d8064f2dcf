import type { FieldProblems } from "../../commands/sign-letter.ts";
import type { AppError } from "../../domain/app-error.ts";
import type { Translate } from "../../i18n/index.ts";
import type { FieldErrors } from "./parse-form.ts";

/** A command's field errors (message keys) as the messages shown beside the fields. */
export function translatedFieldErrors(error: AppError, t: Translate): FieldErrors {
  return Object.fromEntries(Object.entries(error.fields).map(([field, key]) => [field, t(key)]));
}

/** The sign form's field problems (message keys with their limits) as messages. */
export function translateProblems(problems: FieldProblems, t: Translate): FieldErrors {
  const errors: FieldErrors = {};
  for (const [field, problem] of Object.entries(problems)) {
    if (problem) errors[field] = t(problem.key, problem.params);
  }
  return errors;
}
