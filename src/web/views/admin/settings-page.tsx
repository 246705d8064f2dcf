import type { SessionUser } from "../../session.ts";
import { Notice, PostForm } from "../components/form.tsx";
import type { PageContext } from "../layout.tsx";
import { ConsoleLayout } from "./console-layout.tsx";

/** Server settings for owners: whether the sign forms take endorsements, with one button to change it. */
export function SettingsPage({
  ctx,
  user,
  signingPaused,
  notice,
}: {
  ctx: PageContext;
  user: SessionUser;
  signingPaused: boolean;
  notice?: string | undefined;
}) {
  const { t } = ctx;
  return (
    <ConsoleLayout ctx={ctx} user={user} title={t("settings.title")}>
      <h1>{t("settings.title")}</h1>
      <Notice message={notice} />
      <section aria-labelledby="signing-heading">
        <h2 id="signing-heading">{t("settings.signingTitle")}</h2>
        <p>
          <strong>{signingPaused ? t("settings.signingPaused") : t("settings.signingOpen")}</strong>
        </p>
        <p class="muted">{t("settings.signingIntro")}</p>
        <PostForm ctx={ctx} action="/admin/settings/signing">
          <div>
            {signingPaused ? (
              <button type="submit" name="signing" value="resume">
                {t("settings.resume")}
              </button>
            ) : (
              <button type="submit" name="signing" value="pause">
                {t("settings.pause")}
              </button>
            )}
          </div>
        </PostForm>
      </section>
    </ConsoleLayout>
  );
}
