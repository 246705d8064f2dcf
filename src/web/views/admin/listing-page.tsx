import { formatNumber } from "../../../i18n/index.ts";
import type { ListingConsole } from "../../../queries/list-threshold-endorsements.ts";
import { assetUrl } from "../../http/static-assets.ts";
import type { SessionUser } from "../../session.ts";
import { Notice, PostForm, Problem } from "../components/form.tsx";
import type { PageContext } from "../layout.tsx";
import { conditionText } from "../sign/listing-condition.tsx";
import { ConsoleLayout } from "./console-layout.tsx";
import { LetterTabs } from "./letter-tabs.tsx";
import { KeyLoader } from "./review-queue-page.tsx";

/**
 * A letter's threshold endorsements (domain/threshold-disclosure.ts): how many wait and how many have their
 * condition met, and those met, sealed, for open-sealed.js to open with the key in this browser. Ticking
 * some and pressing "List these names" makes list-threshold.js add the public fields of the ticked ones,
 * and only those, to the form; the others are never sent. Without the key nothing can be listed.
 */
export function ListingPage({
  ctx,
  user,
  listing,
  notice,
  problem,
}: {
  ctx: PageContext;
  user: SessionUser;
  listing: ListingConsole;
  notice?: string | undefined;
  problem?: string | undefined;
}) {
  const { t, locale } = ctx;
  const { letter } = listing;
  const met = listing.endorsements.filter((e) => e.met);
  const title = `${t("threshold.consoleTitle")} · ${letter.title}`;
  return (
    <ConsoleLayout ctx={ctx} user={user} title={title}>
      <LetterTabs ctx={ctx} user={user} letter={letter} current="/listing" />
      <h1>{title}</h1>
      <Notice message={notice} />
      <Problem message={problem} />
      <p data-listing-counts>
        {t("threshold.consoleCounts", {
          waiting: formatNumber(locale, listing.endorsements.length - met.length),
          met: formatNumber(locale, met.length),
        })}
      </p>
      {met.length > 0 && letter.publicKey ? (
        <>
          <p class="muted">{t("threshold.consoleHint")}</p>
          <KeyLoader ctx={ctx} publicKey={letter.publicKey} />
          <PostForm ctx={ctx} action={`/admin/letters/${letter.id}/listing`}>
            <table data-listing>
              <tbody>
                {met.map((e) => (
                  <tr
                    key={String(e.id)}
                    data-id={String(e.id)}
                    data-sealed-identity={e.sealedIdentity ?? ""}
                    data-sealed-contact=""
                  >
                    <td>
                      <input type="checkbox" name="id" value={String(e.id)} aria-label={t("review.select")} />
                    </td>
                    <td data-opened="name">{t("review.sealed")}</td>
                    <td data-opened="details" />
                    <td class="muted">{conditionText(ctx, e.condition)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div>
              <button type="submit">{t("threshold.listChosen")}</button>
            </div>
          </PostForm>
          <script type="module" src={assetUrl("admin/list-threshold.js")} />
        </>
      ) : null}
    </ConsoleLayout>
  );
}
