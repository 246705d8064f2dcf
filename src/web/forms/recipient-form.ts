import type { AppError } from "../../domain/app-error.ts";
import type { MessageKey, Translate } from "../../i18n/index.ts";
import type { ConsoleRecipient } from "../../queries/list-letter-recipients.ts";
import { translatedFieldErrors } from "./field-errors.ts";
import { typed } from "./parse-form.ts";

/* What the recipient forms of the console share: the values typed, the checkboxes, the notices. */

export type RecipientValues = {
  name: string;
  office: string;
  country: string;
  addresseeGroup: string;
  emails: string;
  postalAddress: string;
  notes: string;
};

export const EMPTY_RECIPIENT: RecipientValues = {
  name: "",
  office: "",
  country: "",
  addresseeGroup: "",
  emails: "",
  postalAddress: "",
  notes: "",
};

export function recipientValuesOf(r: ConsoleRecipient): RecipientValues {
  return {
    name: r.name,
    office: r.office ?? "",
    country: r.country ?? "",
    addresseeGroup: r.addresseeGroup ?? "",
    emails: r.emails.join(", "),
    postalAddress: r.postalAddress ?? "",
    notes: r.notes ?? "",
  };
}

export const RECIPIENT_NOTICES: Record<string, MessageKey> = {
  added: "recipients.added",
  saved: "recipients.saved",
  removed: "recipients.removed",
  moved: "recipients.moved",
  recorded: "delivery.recorded",
  response: "responses.recorded",
  stances: "stances.tagged",
};

/** The first of a command's field messages: the reason shown above a form that has no field for it. */
export const firstMessage = (error: AppError, t: Translate) =>
  Object.values(translatedFieldErrors(error, t))[0];

export function recipientValuesFrom(body: unknown): RecipientValues {
  const text = (field: keyof RecipientValues) => typed(body, field) ?? "";
  return {
    name: text("name"),
    office: text("office"),
    country: text("country"),
    addresseeGroup: text("addresseeGroup"),
    emails: text("emails"),
    postalAddress: text("postalAddress"),
    notes: text("notes"),
  };
}

/** Checkbox values: one string, several (an array), or none. */
export function checked(body: unknown, field: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[field];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return typeof value === "string" ? [value] : [];
}
