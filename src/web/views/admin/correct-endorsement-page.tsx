import { countryOptions } from "../../../domain/countries.ts";
import type { FieldErrors } from "../../forms/parse-form.ts";
import type { SessionUser } from "../../session.ts";
import { Field, formFields, Select } from "../components/fields.tsx";
import { PostForm, Problem } from "../components/form.tsx";
import type { PageContext } from "../layout.tsx";
import { ConsoleLayout } from "./console-layout.tsx";

export type CorrectionValues = { name: string; category: string; country: string };

/** Corrects a listed endorsement's public name, category or country; a plain form. */
export function CorrectEndorsementPage({
  ctx,
  user,
  letterId,
  signatureId,
  categories,
  values,
  errors,
  problem,
}: {
  ctx: PageContext;
  user: SessionUser;
  letterId: number;
  signatureId: number;
  categories: string[];
  values: CorrectionValues;
  errors?: FieldErrors | undefined;
  problem?: string | undefined;
}) {
  const { t, locale } = ctx;
  const field = formFields(t, values, errors);
  return (
    <ConsoleLayout ctx={ctx} user={user} title={t("corrections.title")}>
      <p class="muted">
        <a href={`/admin/letters/${letterId}/duplicates`}>{t("duplicates.tab")}</a> ·{" "}
        <a href={`/admin/letters/${letterId}/review`}>{t("review.tab")}</a>
      </p>
      <h1>{t("corrections.title")}</h1>
      <Problem message={problem} />
      <p class="muted">{t("corrections.intro")}</p>
      <PostForm ctx={ctx} action={`/admin/letters/${letterId}/endorsements/${signatureId}/correct`}>
        <Field {...field("name", "review.name")} required />
        <Select
          {...field("category", "review.category")}
          choose="—"
          options={categories.map((c) => ({ value: c, label: c }))}
        />
        <Select
          {...field("country", "review.country")}
          choose="—"
          options={countryOptions(locale).map((c) => ({ value: c.code, label: c.name }))}
        />
        <div class="actions">
          <button type="submit">{t("corrections.submit")}</button>
        </div>
      </PostForm>
    </ConsoleLayout>
  );
}
