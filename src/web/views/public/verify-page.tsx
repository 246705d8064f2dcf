import { shownCountStatement } from "../../../domain/count-statement.ts";
import { formatNumber } from "../../../i18n/index.ts";
import type { PublicLetter } from "../../../queries/get-public-letter.ts";
import { assetUrl } from "../../http/static-assets.ts";
import { Layout, type PageContext } from "../layout.tsx";

/*
 * `/letters/:slug/verify`: what a letter's count rests on, for readers, and a signer's receipt checked in
 * the browser by verify-receipt.js (src/web/browser/verify-receipt.ts), this site's own script. The form
 * has no action and stays hidden without JavaScript: a receipt must never be posted to the server, which
 * would learn whose entry is whose.
 */

/** Messages the script shows, translated here (it has none of its own). */
const SCRIPT_MESSAGES = [
  "checking",
  "okSigned",
  "okIncluded",
  "okLetter",
  "okConsistent",
  "badFormat",
  "badEntry",
  "badSignature",
  "badInclusion",
  "badLetter",
  "badConsistency",
  "fetchFailed",
  "okWitnesses",
  "badWitnesses",
  "badWitnessPolicy",
  "badCosignature",
] as const;

export function VerifyPage({
  ctx,
  letter,
  log,
  logUrl,
}: {
  ctx: PageContext;
  letter: PublicLetter;
  log: { letter: string; size: number } | null;
  /** The log's public address (…/log), for the command line. */
  logUrl: string;
}) {
  const { t, locale } = ctx;
  const statement = shownCountStatement(letter, locale, t);
  const messages = Object.fromEntries(
    SCRIPT_MESSAGES.map((key) => [
      `data-msg-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
      t(`verify.${key}`),
    ]),
  );
  return (
    <Layout
      ctx={ctx}
      title={t("verify.title", { title: letter.title })}
      head={<script type="module" src={assetUrl("log/verify-receipt.js")} />}
    >
      <p>
        <a href={`/letters/${letter.slug}`}>{t("verify.backToLetter")}</a>
      </p>
      <h1>{t("verify.title", { title: letter.title })}</h1>
      <p class="count-statement" lang={statement.language}>
        {statement.text}
      </p>
      <h2>{t("verify.logTitle")}</h2>
      <p>{t("verify.logIntro")}</p>
      {log ? (
        <>
          <p>{t("verify.logSize", { size: formatNumber(locale, log.size), name: log.letter })}</p>
          <p>{t("verify.recount")}</p>
          <pre>
            <code>{`npx undersigned verify --log ${logUrl} --letter ${log.letter}`}</code>
          </pre>
        </>
      ) : (
        <p>{t("verify.logNone")}</p>
      )}
      <h2>{t("verify.receiptTitle")}</h2>
      <p>{t("verify.receiptIntro")}</p>
      <noscript>
        <p class="notice">{t("verify.noScript", { log: logUrl })}</p>
      </noscript>
      <form class="stack" hidden data-verify-receipt data-log-letter={log?.letter ?? ""} {...messages}>
        <div class="field">
          <label for="field-receipt">{t("verify.receiptLabel")}</label>
          <textarea id="field-receipt" name="receipt" rows={8} spellcheck={false} autocomplete="off" />
        </div>
        <div class="field">
          <label for="field-file">{t("verify.fileLabel")}</label>
          <input id="field-file" name="file" type="file" accept=".txt,text/plain" />
        </div>
        <div class="field">
          <label for="field-witnesses">{t("verify.witnessesLabel")}</label>
          <p class="hint" id="hint-witnesses">
            {t("verify.witnessesHint")}
          </p>
          <textarea
            id="field-witnesses"
            name="witnesses"
            rows={3}
            spellcheck={false}
            autocomplete="off"
            aria-describedby="hint-witnesses"
          />
        </div>
        <div class="field">
          <label for="field-threshold">{t("verify.thresholdLabel")}</label>
          <p class="hint" id="hint-threshold">
            {t("verify.thresholdHint")}
          </p>
          <input
            id="field-threshold"
            name="threshold"
            type="number"
            min={0}
            inputmode="numeric"
            aria-describedby="hint-threshold"
          />
        </div>
        <div>
          <button type="submit">{t("verify.submit")}</button>
        </div>
      </form>
      <ul class="verify-results" data-verify-results aria-live="polite" />
    </Layout>
  );
}
