import { MIN_PASSPHRASE_LENGTH } from "../../../crypto/key-file-format.ts";
import { plural } from "../../../i18n/index.ts";
import type { CampaignKeyState } from "../../../queries/get-campaign-key-state.ts";
import type { FieldErrors } from "../../forms/parse-form.ts";
import { assetUrl } from "../../http/static-assets.ts";
import type { SessionUser } from "../../session.ts";
import { Field, formFields } from "../components/fields.tsx";
import { Notice, Problem } from "../components/form.tsx";
import { CsrfField, type PageContext } from "../layout.tsx";
import { ConsoleLayout } from "./console-layout.tsx";

export type CampaignKeyPageProps = {
  ctx: PageContext;
  user: SessionUser;
  campaign: { id: number; slug: string; name: string };
  state: CampaignKeyState;
  values?: { publicKey?: string };
  errors?: FieldErrors;
  problem?: string | undefined;
  notice?: string | undefined;
  /** The viewer sets a key at once (an owner); otherwise a key they set is only proposed. */
  setsAtOnce: boolean;
};

/**
 * May a key be set (or proposed) now: when there is none, or a DEMO key with nothing real sealed to it, and
 * no proposal is waiting for confirmation.
 */
export function keyCanBeSet(state: CampaignKeyState): boolean {
  if (state.proposal) return false;
  return state.kind === "none" || (state.kind === "demo" && state.sealed.real === 0);
}

/**
 * A campaign's coalition key: which key it has (none, the example's DEMO key, or its real key by fingerprint)
 * and, while one may be set, two ways to set it. "Make the key in this browser" is a form the script
 * (create-coalition-key.js) shows: its inputs have no name, so the passphrase could never be submitted; the
 * script makes the key file, offers it for download, and only then posts the public key through the second
 * form, "paste a public key", which works without script for a key made with `undersigned keygen`. For a
 * coordinator both only propose the key; while a proposal waits, the page shows its fingerprint with a form
 * to confirm it (to anyone but the proposer) and one to withdraw it.
 */
export function CampaignKeyPage({
  ctx,
  user,
  campaign,
  state,
  values = {},
  errors,
  problem,
  notice,
  setsAtOnce,
}: CampaignKeyPageProps) {
  const { t } = ctx;
  const field = formFields(t, values, errors);
  const base = `/admin/campaigns/${encodeURIComponent(campaign.slug)}`;
  const title = t("campaignKey.title", { campaign: campaign.name });
  return (
    <ConsoleLayout ctx={ctx} user={user} title={title}>
      <p class="muted">
        <a href={base}>{campaign.name}</a>
      </p>
      <h1>{title}</h1>
      <Notice message={notice} />
      <Problem message={problem} />
      <p>{t("campaignKey.intro")}</p>

      <section aria-labelledby="key-state" class="key-state" data-key-state={state.kind}>
        <h2 id="key-state">{t("campaignKey.nav")}</h2>
        {state.kind === "none" ? <p class="banner">{t("campaignKey.stateNone")}</p> : null}
        {state.kind === "demo" ? <p class="banner">{t("campaignKey.stateDemo")}</p> : null}
        {state.kind === "real" ? <p>{t("campaignKey.stateReal")}</p> : null}
        {state.kind !== "none" ? (
          <>
            <p>
              {t("campaignKey.fingerprint")} <code class="fingerprint">{state.fingerprint}</code>
              <br />
              <span class="muted">{t("campaignKey.fingerprintHint")}</span>
            </p>
            {state.kind === "real" ? <p>{t("campaignKey.publish")}</p> : null}
            <p>{plural(t, "campaignKey.sealed", state.sealed.undisclosed)}</p>
          </>
        ) : null}
        {state.kind === "demo" ? (
          <p>
            {state.sealed.real === 0
              ? t("campaignKey.demoReplaceable")
              : t("campaignKey.demoInUse", { count: state.sealed.real })}
          </p>
        ) : null}
      </section>

      {state.proposal ? (
        <section aria-labelledby="key-proposal" class="stack" data-key-proposal>
          <h2 id="key-proposal">{t("campaignKey.proposalTitle")}</h2>
          <p>
            {t("campaignKey.proposalBy", { name: state.proposal.proposedBy.name })}{" "}
            <code class="proposed-fingerprint">{state.proposal.fingerprint}</code>
          </p>
          {state.proposal.proposedBy.id === user.id ? (
            <p>{t("campaignKey.ownProposal")}</p>
          ) : (
            <form method="post" action={`${base}/key/confirm`} class="stack">
              <CsrfField ctx={ctx} />
              <input type="hidden" name="fingerprint" value={state.proposal.fingerprint} />
              <p>{t("campaignKey.confirmIntro")}</p>
              <div>
                <button type="submit">{t("campaignKey.confirm")}</button>
              </div>
            </form>
          )}
          <form method="post" action={`${base}/key/withdraw`}>
            <CsrfField ctx={ctx} />
            <input type="hidden" name="fingerprint" value={state.proposal.fingerprint} />
            <button type="submit" class="secondary">
              {t("campaignKey.withdraw")}
            </button>
          </form>
        </section>
      ) : null}

      {keyCanBeSet(state) ? (
        <>
          {setsAtOnce ? null : <p class="banner">{t("campaignKey.secondPerson")}</p>}
          <section aria-labelledby="key-make" class="stack">
            <h2 id="key-make">{t("campaignKey.makeTitle")}</h2>
            <p>{t("campaignKey.makeIntro")}</p>
            <p class="banner">{t("campaignKey.lossWarning")}</p>
            <noscript>
              <p>{t("campaignKey.needsScript")}</p>
            </noscript>
            <form
              id="key-maker"
              class="stack"
              hidden
              data-campaign={campaign.slug}
              data-sodium-base="/admin/assets/"
              data-min-length={String(MIN_PASSPHRASE_LENGTH)}
              data-msg-too-short={t("campaignKey.tooShort", { min: MIN_PASSPHRASE_LENGTH })}
              data-msg-differ={t("campaignKey.differ")}
              data-msg-weak={t("campaignKey.strengthWeak")}
              data-msg-fair={t("campaignKey.strengthFair")}
              data-msg-good={t("campaignKey.strengthGood")}
              data-msg-making={t("campaignKey.making")}
              data-msg-failed={t("campaignKey.failed")}
              data-msg-download={t("campaignKey.download")}
            >
              <div class="field">
                <label for="new-passphrase">{t("campaignKey.passphrase")}</label>
                <span id="new-passphrase-hint" class="muted">
                  {t("campaignKey.passphraseHint", { min: MIN_PASSPHRASE_LENGTH })}
                </span>
                <input
                  id="new-passphrase"
                  type="password"
                  autocomplete="new-password"
                  aria-describedby="new-passphrase-hint new-passphrase-strength"
                />
                <span id="new-passphrase-strength" class="muted" aria-live="polite" data-strength />
              </div>
              <div class="field">
                <label for="new-passphrase-again">{t("campaignKey.passphraseAgain")}</label>
                <input id="new-passphrase-again" type="password" autocomplete="new-password" />
              </div>
              <div class="actions">
                <button type="submit">{t("campaignKey.make")}</button>
              </div>
              <p role="status" aria-live="polite" data-maker-status />
              <div class="stack" data-made hidden>
                <p>
                  {t("campaignKey.made")} <code class="fingerprint" data-made-fingerprint />
                </p>
                <p data-download />
                <p>
                  <button type="button" data-set-made hidden>
                    {t(setsAtOnce ? "campaignKey.setMade" : "campaignKey.setMadeProposal")}
                  </button>
                </p>
              </div>
            </form>
          </section>

          <section aria-labelledby="key-paste">
            <h2 id="key-paste">{t("campaignKey.pasteTitle")}</h2>
            <p>{t("campaignKey.pasteIntro")}</p>
            <form id="key-paste-form" method="post" action={`${base}/key`} class="stack" novalidate>
              <CsrfField ctx={ctx} />
              <Field {...field("publicKey", "campaignKey.publicKey")} autocomplete="off" required />
              <div>
                <button type="submit">{t(setsAtOnce ? "campaignKey.set" : "campaignKey.propose")}</button>
              </div>
            </form>
          </section>
          <script type="module" src={assetUrl("admin/create-coalition-key.js")} />
        </>
      ) : null}
    </ConsoleLayout>
  );
}
