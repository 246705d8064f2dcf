import { AppError } from "../../domain/app-error.ts";

/** A row id as it appears in a URL or a form: digits only, short enough to be a database integer. */
export const ID = /^\d{1,9}$/;

/** The id in a URL segment; anything else is a page that does not exist. */
export function idOf(value: string): number {
  if (!ID.test(value)) throw new AppError("not_found");
  return Number(value);
}
