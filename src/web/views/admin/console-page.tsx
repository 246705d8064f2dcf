import { formatNumber, plural } from "../../../i18n/index.ts";
import { can } from "../../../policies/policy.ts";
import type { PendingReview } from "../../../queries/list-pending-review.ts";
import type { SessionUser } from "../../session.ts";
import type { PageContext } from "../layout.tsx";
import { ConsoleLayout } from "./console-layout.tsx";

/** The console's home: who is signed in, what waits for them, and where they can go from here. */
export function ConsolePage({
  ctx,
  user,
  pending,
}: {
  ctx: PageContext;
  user: SessionUser;
  /** Letters with endorsements awaiting review, in the campaigns this user reviews. */
  pending: PendingReview[];
}) {
  const { t, locale } = ctx;
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
      {pending.length > 0 ? (
        <section aria-labelledby="pending-review">
          <h2 id="pending-review">{t("console.pendingReview")}</h2>
          <ul class="pending-review">
            {pending.map((p) => (
              <li key={p.letterId}>
                <a href={`/admin/letters/${p.letterId}/review`}>{p.title}</a>{" "}
                <strong class="pending-count">
                  {plural(t, "review.pending", p.pending, { count: formatNumber(locale, p.pending) })}
                </strong>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
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
