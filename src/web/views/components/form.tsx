import type { ComponentChildren } from "preact";
import type { FieldErrors } from "../../forms/parse-form.ts";
import { CsrfField, type PageContext } from "../layout.tsx";

/* What surrounds a form's fields: the POST form with its CSRF token, and the messages above it. */

/** A state-changing form: always POST, always with the CSRF token first. */
export function PostForm({
  ctx,
  action,
  children,
  class: className = "stack",
}: {
  ctx: PageContext;
  action: string;
  children: ComponentChildren;
  class?: string;
}) {
  return (
    <form method="post" action={action} class={className} novalidate>
      <CsrfField ctx={ctx} />
      {children}
    </form>
  );
}

/** The message at the top of a form that could not be accepted; announced to screen readers. */
export function Problem({ message }: { message: string | undefined }) {
  return message ? (
    <div class="error-summary" role="alert">
      <p>{message}</p>
    </div>
  ) : null;
}

export function Notice({ message }: { message: string | undefined }) {
  return message ? (
    <div class="notice" role="status">
      <p>{message}</p>
    </div>
  ) : null;
}

/** Which form of the page a message or error belongs to. */
export type FormState<V> = { values: V; errors?: FieldErrors | undefined; problem?: string | undefined };
