import { Layout, type PageContext } from "../layout.tsx";

/**
 * The page an update mail's unsubscribe link opens. Opening it changes nothing (mail scanners follow links):
 * the button posts the token, as a one-click mail client would (RFC 8058).
 */
export function UnsubscribePage({
  ctx,
  action,
  outcome,
}: {
  ctx: PageContext;
  /** The same address, token included: the token is the only authority the post needs. */
  action: string;
  outcome?: "unsubscribed" | "already" | "invalid" | undefined;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t("unsubscribe.title")}>
      <h1>{t("unsubscribe.title")}</h1>
      {outcome === undefined ? (
        // No CSRF field: the token in the address is the authority, and RFC 8058 clients send nothing else.
        <form method="post" action={action} class="stack">
          <input type="hidden" name="List-Unsubscribe" value="One-Click" />
          <p>{t("unsubscribe.intro")}</p>
          <div>
            <button type="submit">{t("unsubscribe.submit")}</button>
          </div>
        </form>
      ) : (
        <p role="status">
          {outcome === "invalid"
            ? t("unsubscribe.invalid")
            : outcome === "already"
              ? t("unsubscribe.already")
              : t("unsubscribe.done")}
        </p>
      )}
    </Layout>
  );
}
