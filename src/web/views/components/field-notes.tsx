/*
 * The one field kit's markup for what sits between a field's label and its input: the hint, an optional
 * remark (the sign form's "converted from Zawgyi"), and the error. Each note has an id derived from the
 * field's, and the input lists them in aria-describedby so a screen reader reads them as its description;
 * they sit outside the <label> so the field's accessible name is the label alone.
 */

export type FieldNotesProps = {
  /** The input's id; the notes' ids are `${id}-hint`, `${id}-${remark.suffix}` and `${id}-error`. */
  id: string;
  hint?: string | undefined;
  remark?: { suffix: string; class: string; text: string } | undefined;
  error?: string | undefined;
};

export function FieldNotes({ id, hint, remark, error }: FieldNotesProps) {
  return (
    <>
      {hint ? (
        <span id={`${id}-hint`} class="muted">
          {hint}
        </span>
      ) : null}
      {remark ? (
        <span id={`${id}-${remark.suffix}`} class={remark.class}>
          {remark.text}
        </span>
      ) : null}
      {error ? (
        <span id={`${id}-error`} class="field-error">
          {error}
        </span>
      ) : null}
    </>
  );
}

/** The input's side of the notes: aria-describedby listing them, and aria-invalid when there is an error. */
export function describedBy({ id, hint, remark, error }: FieldNotesProps) {
  const ids = [hint ? `${id}-hint` : "", remark ? `${id}-${remark.suffix}` : "", error ? `${id}-error` : ""]
    .filter(Boolean)
    .join(" ");
  return { "aria-invalid": error ? ("true" as const) : undefined, "aria-describedby": ids || undefined };
}
