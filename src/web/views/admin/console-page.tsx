import { can } from "../../../policies/policy.ts";
import type { SessionUser } from "../../session.ts";
import type { PageContext } from "../layout.tsx";
import { ConsoleLayout } from "./console-layout.tsx";

/** The console's home: who is signed in, and where they can go from here. */
export function ConsolePage({ ctx, user }: { ctx: PageContext; user: SessionUser }) {
  const { t } = ctx;
  return (
    <ConsoleLayout ctx={ctx} user={user} title={t("console.title")}>
      <h1>{t("console.title")}</h1>
      <p>{t("console.welcome", { name: user.name, role: t(`role.${user.role}`) })}</p>
      {user.totpEnabled ? null : (
        <div class="banner">
          <p>
            {t("console.totpOff")} <a href="/admin/security">{t("totp.start")}</a>
          </p>
        </div>
      )}
      <ul>
        <li>
          <a href="/admin/campaigns">{t("console.campaigns")}</a>
        </li>
        <li>
          <a href="/admin/security">{t("console.security")}</a>
        </li>
        {can(user, "mailbox.read") ? (
          <li>
            <a href="/admin/mailbox">{t("console.mailbox")}</a>
          </li>
        ) : null}
      </ul>
    </ConsoleLayout>
  );
}
