import type { SessionSummary } from "../../../store/sessions.ts";
import type { SessionUser } from "../../session.ts";
import { Notice, PostForm } from "../components/form.tsx";
import type { PageContext } from "../layout.tsx";
import { ConsoleLayout } from "./console-layout.tsx";

/**
 * The signed-in account's sessions. Nothing identifies the device (no address or browser is stored), so
 * each is told apart by when it began and was last used; the one in use here is marked.
 */
export function SessionsPage({
  ctx,
  user,
  sessions,
  notice,
}: {
  ctx: PageContext;
  user: SessionUser;
  sessions: SessionSummary[];
  notice?: string | undefined;
}) {
  const { t } = ctx;
  const format = new Intl.DateTimeFormat(ctx.locale === "my" ? "my-MM-u-nu-mymr" : "en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "UTC",
  });
  const when = (iso: string) => <time dateTime={iso}>{format.format(new Date(iso))} UTC</time>;
  const others = sessions.filter((s) => s.id !== user.sessionId).length;
  return (
    <ConsoleLayout ctx={ctx} user={user} title={t("sessions.title")}>
      <h1>{t("sessions.title")}</h1>
      <Notice message={notice} />
      <p>{t("sessions.intro")}</p>
      <ul class="sessions">
        {sessions.map((s) => (
          <li key={s.id}>
            <p>
              {s.id === user.sessionId ? <strong>{t("sessions.current")}</strong> : null}
              {s.id === user.sessionId ? <br /> : null}
              {t("sessions.started")} {when(s.createdAt)}
              <br />
              {t("sessions.lastSeen")} {when(s.lastSeenAt)}
              <br />
              {t("sessions.expires")} {when(s.expiresAt)}
              {s.secondFactor ? (
                <>
                  <br />
                  <span class="muted">{t("sessions.withCode")}</span>
                </>
              ) : null}
            </p>
            {s.id === user.sessionId ? null : (
              <PostForm ctx={ctx} action={`/admin/sessions/${s.id}/revoke`} class="inline">
                <button type="submit" class="secondary">
                  {t("sessions.revoke")}
                </button>
              </PostForm>
            )}
          </li>
        ))}
      </ul>
      {others > 0 ? (
        <PostForm ctx={ctx} action="/admin/sessions/revoke-others" class="inline">
          <button type="submit">{t("sessions.revokeOthers")}</button>
        </PostForm>
      ) : null}
    </ConsoleLayout>
  );
}
