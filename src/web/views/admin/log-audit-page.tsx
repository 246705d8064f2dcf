import type { LogAuditInput } from "../../../queries/audit-letter-log.ts";
import { assetUrl } from "../../http/static-assets.ts";
import type { SessionUser } from "../../session.ts";
import type { PageContext } from "../layout.tsx";
import { ConsoleLayout } from "./console-layout.tsx";
import { LetterTabs } from "./letter-tabs.tsx";
import { KeyLoader } from "./review-queue-page.tsx";

/** Messages audit-log.js shows, translated here (it has none of its own). */
const SCRIPT_MESSAGES = ["counting", "unsalted", "waiting", "ok", "failed"] as const;

/**
 * `/admin/letters/:id/log-audit`: the coalition's audit of the letter's undisclosed count, in the
 * coordinator's browser. The page carries the letter's undisclosed records, still sealed, and its log
 * entries; open-sealed.js opens the records with the key file here, and audit-log.js applies the rule
 * `undersigned audit-count` applies (domain/tlog/audit.ts). Nothing opened goes back to the server: the
 * page has no form but the key loader, whose key never leaves the browser.
 */
export function LogAuditPage({
  ctx,
  user,
  audit,
}: {
  ctx: PageContext;
  user: SessionUser;
  audit: LogAuditInput;
}) {
  const { t } = ctx;
  const { letter } = audit;
  const title = `${t("logAudit.title")} · ${letter.title}`;
  const messages = Object.fromEntries(
    SCRIPT_MESSAGES.map((key) => [`data-msg-${key}`, t(`logAudit.${key}`)]),
  );
  return (
    <ConsoleLayout ctx={ctx} user={user} title={title}>
      <LetterTabs ctx={ctx} user={user} letter={letter} current="/log-audit" />
      <h1>{title}</h1>
      <p>{t("logAudit.intro")}</p>
      <p class="muted">{t("logAudit.cli")}</p>
      <pre>
        <code>{`npx undersigned audit-count --letter ${letter.slug} --key FILE`}</code>
      </pre>
      {!letter.logName ? (
        <p data-log-audit-none>{t("logAudit.notInLog")}</p>
      ) : !letter.publicKey ? (
        <p data-log-audit-none>{t("logAudit.noKey")}</p>
      ) : (
        <>
          <KeyLoader ctx={ctx} publicKey={letter.publicKey} />
          <section
            data-log-audit
            data-letter={letter.logName}
            data-entries={JSON.stringify(audit.entries.map((e) => [e.index, e.text]))}
            {...messages}
          >
            <h2>{t("logAudit.resultTitle")}</h2>
            <p data-log-audit-status>{t("logAudit.waitingForKey", { records: audit.records.length })}</p>
            <ul class="verify-results" data-audit-results aria-live="polite" />
            <table hidden>
              <tbody>
                {audit.records.map((r) => (
                  <tr
                    key={String(r.id)}
                    data-id={String(r.id)}
                    data-sealed-identity={r.sealed}
                    data-sealed-contact=""
                    data-state={r.state}
                    data-counted={r.counted ? "1" : "0"}
                    data-commit={r.storedCommit ?? ""}
                  />
                ))}
              </tbody>
            </table>
          </section>
          <script type="module" src={assetUrl("admin/audit-log.js")} />
        </>
      )}
    </ConsoleLayout>
  );
}
