import { COUNT_PLACEHOLDER_LIST } from "../../../domain/count-statement.ts";
import type { MessageKey } from "../../../i18n/index.ts";
import type { GroupValues, TextValues } from "../../forms/letter-form.ts";
import type { FieldErrors } from "../../forms/parse-form.ts";
import { Field, TextArea } from "../components/fields.tsx";
import type { PageContext } from "../layout.tsx";

/* Form controls that only the letter's forms have (the editor and a translation). */

/**
 * Addressee groups as numbered fieldsets, each a heading and a textarea of names (one per line). "Add a
 * group" and "Remove" are submit buttons: the server re-renders the form with the change and everything
 * else as typed, so this works without JavaScript.
 */
export function AddresseeGroups({
  ctx,
  groups,
  errors,
  lang,
}: {
  ctx: PageContext;
  groups: GroupValues[];
  errors?: FieldErrors | undefined;
  lang?: string | undefined;
}) {
  const { t } = ctx;
  const error = errors?.groups;
  return (
    <fieldset class="addressees">
      <legend>{t("letters.addressees")}</legend>
      {error ? <span class="field-error">{error}</span> : null}
      <input type="hidden" name="groups" value={String(groups.length)} />
      {groups.map((group, i) => (
        <fieldset key={i} class="addressee-group">
          <legend>{t("letters.group", { number: i + 1 })}</legend>
          <Field name={`heading_${i}`} label={t("letters.groupHeading")} value={group.heading} lang={lang} />
          <TextArea
            name={`names_${i}`}
            label={t("letters.groupNames")}
            value={group.names}
            rows={4}
            lang={lang}
          />
          <button type="submit" name="action" value={`removeGroup:${i}`} class="secondary">
            {t("letters.removeGroup", { number: i + 1 })}
          </button>
        </fieldset>
      ))}
      <button type="submit" name="action" value="addGroup" class="secondary">
        {t("letters.addGroup")}
      </button>
    </fieldset>
  );
}

export const PLACEHOLDERS = COUNT_PLACEHOLDER_LIST;

/** A part of the letter's text that has one field (the addressee groups have their own fieldsets). */
export type TextPart = Exclude<keyof TextValues, "groups">;

/** How each part is asked for, in the editor and on the translation page alike. */
const TEXT_PARTS: Record<
  TextPart,
  { label: MessageKey; hint?: MessageKey; rows: number; line?: true; required?: true }
> = {
  title: { label: "letters.title", rows: 2, line: true, required: true },
  subject: { label: "letters.subject", rows: 2, line: true },
  salutation: { label: "letters.salutation", rows: 1, line: true },
  body: { label: "letters.body", hint: "letters.bodyHint", rows: 18 },
  closing: { label: "letters.closing", rows: 4 },
  countStatement: { label: "letters.countStatement", hint: "letters.countStatementHint", rows: 3 },
  publisherAbout: { label: "letters.publisherAbout", rows: 3 },
};

/** One part of the letter's text as a field in `lang`; `readOnly` shows the original beside a translation. */
export function TextPartField({
  ctx,
  part,
  value,
  errors,
  lang,
  readOnly = false,
}: {
  ctx: PageContext;
  part: TextPart;
  value: string;
  errors?: FieldErrors | undefined;
  lang?: string | undefined;
  readOnly?: boolean;
}) {
  const { label, hint, rows, line, required } = TEXT_PARTS[part];
  const shown = {
    name: part,
    label: ctx.t(label),
    value,
    lang,
  };
  if (readOnly) return <TextArea {...shown} rows={rows} readOnly />;
  const typed = { ...shown, errors, hint: hint ? ctx.t(hint, { placeholders: PLACEHOLDERS }) : undefined };
  return line ? <Field {...typed} required={required} /> : <TextArea {...typed} rows={rows} />;
}

/**
 * A letter form's save button. The form's first submit button is the one Enter presses, so each form starts
 * with a hidden one (`defaultAction`) to make Enter save rather than "remove group".
 */
export function SaveLetterButton({
  ctx,
  defaultAction = false,
}: {
  ctx: PageContext;
  defaultAction?: boolean;
}) {
  return (
    <button type="submit" name="action" value="save" class={defaultAction ? "default-action" : undefined}>
      {ctx.t("letters.save")}
    </button>
  );
}
