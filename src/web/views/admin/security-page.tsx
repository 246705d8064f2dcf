import { formatNumber, plural } from "../../../i18n/index.ts";
import type { TotpState } from "../../../queries/get-totp-state.ts";
import type { FieldErrors } from "../../forms/parse-form.ts";
import type { SessionUser } from "../../session.ts";
import { Notice, PostForm, Problem } from "../components/form.tsx";
import type { PageContext } from "../layout.tsx";
import { CodeField, CurrentPasswordField } from "./account-fields.tsx";
import { ConsoleLayout } from "./console-layout.tsx";

export type SecurityPageProps = {
  ctx: PageContext;
  user: SessionUser;
  totp: TotpState;
  errors?: FieldErrors;
  problem?: string | undefined;
  notice?: string | undefined;
  /** Where to go back once a code is given, when a campaign requiring TOTP sent the person here. */
  next?: string | undefined;
  stepUpError?: string | undefined;
};

/** Groups of four are easier to type into a phone; authenticator apps ignore the spaces. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

export function SecurityPage({
  ctx,
  user,
  totp,
  errors,
  problem,
  notice,
  next,
  stepUpError,
}: SecurityPageProps) {
  const { t } = ctx;
  const stepUp = totp.kind === "on" && !user.secondFactorProven;
  return (
    <ConsoleLayout ctx={ctx} user={user} title={t("totp.title")}>
      <h1>{t("totp.title")}</h1>
      <Notice message={notice} />
      <Problem message={problem} />
      {totp.kind === "off" ? (
        <>
          <p>{t("totp.disabled")}</p>
          <PostForm ctx={ctx} action="/admin/security/totp">
            <div>
              <button type="submit">{t("totp.start")}</button>
            </div>
          </PostForm>
        </>
      ) : null}
      {totp.kind === "pending" ? (
        <>
          <p>{t("totp.intro")}</p>
          <p>
            {t("totp.secret")}: <code class="secret">{grouped(totp.secret)}</code>
          </p>
          <p>
            {t("totp.uri")}{" "}
            <a href={totp.uri} class="otpauth">
              <code>{totp.uri}</code>
            </a>
          </p>
          <PostForm ctx={ctx} action="/admin/security/totp/confirm">
            <CodeField ctx={ctx} errors={errors} inputMode="numeric" />
            <div>
              <button type="submit">{t("totp.enable")}</button>
            </div>
          </PostForm>
        </>
      ) : null}
      {stepUp ? (
        <section aria-labelledby="step-up">
          <h2 id="step-up">{t("totp.stepUpTitle")}</h2>
          <p>{t("totp.stepUpIntro")}</p>
          <PostForm ctx={ctx} action="/admin/security/verify">
            {next ? <input type="hidden" name="next" value={next} /> : null}
            <div class="field">
              <label for="step-up-code">{t("login.codeLabel")}</label>
              {stepUpError ? (
                <span id="step-up-code-error" class="field-error">
                  {stepUpError}
                </span>
              ) : null}
              <input
                id="step-up-code"
                name="code"
                autocomplete="one-time-code"
                inputMode="numeric"
                required
                aria-invalid={stepUpError ? "true" : undefined}
                aria-describedby={stepUpError ? "step-up-code-error" : undefined}
              />
            </div>
            <div>
              <button type="submit">{t("common.continue")}</button>
            </div>
          </PostForm>
        </section>
      ) : null}
      {totp.kind === "on" ? (
        <>
          <p>{t("totp.enabled")}</p>
          <p>
            {plural(t, "totp.recoveryLeft", totp.recoveryCodesLeft, {
              count: formatNumber(ctx.locale, totp.recoveryCodesLeft),
            })}
          </p>
          <h2>{t("totp.disable")}</h2>
          <p>{t("totp.disableIntro")}</p>
          <PostForm ctx={ctx} action="/admin/security/totp/disable">
            <CurrentPasswordField ctx={ctx} errors={errors} required={false} />
            <CodeField ctx={ctx} errors={errors} required={false} />
            <div>
              <button type="submit" class="secondary">
                {t("totp.disable")}
              </button>
            </div>
          </PostForm>
        </>
      ) : null}
    </ConsoleLayout>
  );
}

/** Shown once, right after two-factor authentication is turned on. */
export function RecoveryCodesPage({
  ctx,
  user,
  codes,
}: {
  ctx: PageContext;
  user: SessionUser;
  codes: string[];
}) {
  const { t } = ctx;
  return (
    <ConsoleLayout ctx={ctx} user={user} title={t("totp.recoveryTitle")}>
      <Notice message={t("totp.enabled")} />
      <h1>{t("totp.recoveryTitle")}</h1>
      <p>{t("totp.recoveryIntro")}</p>
      <ul class="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <p>
        <a class="button" href="/admin">
          {t("common.continue")}
        </a>
      </p>
    </ConsoleLayout>
  );
}
