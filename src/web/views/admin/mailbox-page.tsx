import type { LocalMail } from "../../../mail/mailbox.ts";
import type { SessionUser } from "../../session.ts";
import type { PageContext } from "../layout.tsx";
import { ConsoleLayout } from "./console-layout.tsx";

/** The local mailbox (mail kept on the server while SMTP_URL is unset), newest first. */
export function MailboxPage({
  ctx,
  user,
  mails,
  smtpConfigured,
}: {
  ctx: PageContext;
  user: SessionUser;
  mails: LocalMail[];
  /** Once SMTP is set, this only holds what was kept before: the "mail is kept here" note would mislead. */
  smtpConfigured: boolean;
}) {
  const { t } = ctx;
  const format = new Intl.DateTimeFormat(ctx.locale === "my" ? "my-MM-u-nu-mymr" : "en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "UTC",
  });
  return (
    <ConsoleLayout ctx={ctx} user={user} title={t("mailbox.title")}>
      <h1>{t("mailbox.title")}</h1>
      {smtpConfigured ? null : <p>{t("mailbox.intro")}</p>}
      {mails.length === 0 ? <p>{t("mailbox.empty")}</p> : null}
      {mails.map((mail) => (
        <article class="mail" key={mail.id}>
          <h2>{mail.subject}</h2>
          <p class="muted">
            {t("mailbox.date")}: {mail.date ? `${format.format(new Date(mail.date))} UTC` : "—"}
          </p>
          <pre>
            <Linked text={mail.text} />
          </pre>
        </article>
      ))}
    </ConsoleLayout>
  );
}

/**
 * Makes the web links in a message followable (set-up, reset and confirmation links are why this page
 * exists); everything else stays plain, escaped text.
 */
function Linked({ text }: { text: string }) {
  return (
    <>
      {text.split(/(https?:\/\/[^\s<>"]+)/).map((part, i) =>
        i % 2 === 1 ? (
          <a href={part} rel="noreferrer">
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </>
  );
}
