import type { ComponentChildren } from "preact";
import { can, canSomewhere } from "../../../policies/policy.ts";
import type { SessionUser } from "../../session.ts";
import { PostForm } from "../components/form.tsx";
import { Layout, type PageContext } from "../layout.tsx";

/** The shell of every signed-in console page: its own navigation, showing only what the role may open. */
export function ConsoleLayout({
  ctx,
  user,
  title,
  children,
  head,
}: {
  ctx: PageContext;
  user: SessionUser;
  title: string;
  children: ComponentChildren;
  /** Extra elements for <head>, as Layout takes them. */
  head?: ComponentChildren;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={title} head={head}>
      <nav class="console" aria-label={t("console.title")}>
        <a href="/admin">{t("console.title")}</a>
        <a href="/admin/campaigns">{t("console.campaigns")}</a>
        <a href="/admin/security">{t("console.security")}</a>
        <a href="/admin/sessions">{t("sessions.title")}</a>
        {can(user, "mailbox.read") ? <a href="/admin/mailbox">{t("console.mailbox")}</a> : null}
        {can(user, "settings.edit") ? <a href="/admin/settings">{t("settings.nav")}</a> : null}
        {canSomewhere(user, "audit.read") ? <a href="/admin/audit">{t("audit.nav")}</a> : null}
        <PostForm ctx={ctx} action="/admin/logout" class="inline">
          <button type="submit" class="secondary">
            {t("nav.signOut")}
          </button>
        </PostForm>
      </nav>
      {children}
    </Layout>
  );
}
