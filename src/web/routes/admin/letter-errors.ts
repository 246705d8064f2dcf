import type { AppError } from "../../../domain/app-error.ts";
import type { Translate } from "../../../i18n/index.ts";
import type { FieldErrors } from "../../forms.ts";

/** A command's field errors (message keys) as the messages shown beside the fields. */
export function translatedFieldErrors(error: AppError, t: Translate): FieldErrors {
  return Object.fromEntries(Object.entries(error.fields).map(([field, key]) => [field, t(key)]));
}
