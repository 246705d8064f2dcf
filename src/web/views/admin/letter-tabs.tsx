import { READABLE_LETTER_STATES } from "../../../domain/public-letters.ts";
import type { MessageKey } from "../../../i18n/index.ts";
import { type CampaignAction, can } from "../../../policies/policy.ts";
import type { SessionUser } from "../../session.ts";
import type { PageContext } from "../layout.tsx";

/** The letter's console pages, each shown only to those whose role in the letter's campaign may open it. */
const LETTER_TABS = [
  ["", "letters.edit", "letter.edit"],
  ["/preview", "letters.preview", "campaign.view"],
  ["/share", "share.tab", "campaign.view"],
  ["/versions", "letters.versions", "campaign.view"],
  ["/review", "review.tab", "signature.review"],
  ["/listing", "threshold.tab", "signature.review"],
  ["/log-audit", "logAudit.tab", "signature.review"],
  ["/duplicates", "duplicates.tab", "signature.edit"],
  ["/import", "import.tab", "signature.edit"],
  ["/recipients", "recipients.tab", "recipients.manage"],
  ["/updates", "updates.tab", "letter.publish"],
] as const satisfies readonly (readonly [string, MessageKey, CampaignAction])[];

export type LetterTab = (typeof LETTER_TABS)[number][0];

/** What the tabs need of a letter as the console pages load it. */
export const tabsOf = (letter: { id: number; slug: string; state: string; campaign: { id: number } }) => ({
  id: letter.id,
  campaignId: letter.campaign.id,
  slug: letter.slug,
  state: letter.state,
});

/**
 * Navigation shared by every console page of a letter, the page shown marked as current. The public page's
 * address is added once the letter is readable.
 */
export function LetterTabs({
  ctx,
  user,
  letter,
  current,
}: {
  ctx: PageContext;
  user: SessionUser;
  letter: { id: number; campaignId: number; slug?: string | undefined; state?: string | undefined };
  current: LetterTab;
}) {
  const { t } = ctx;
  const base = `/admin/letters/${letter.id}`;
  return (
    <nav class="tabs" aria-label={t("letters.details")}>
      {LETTER_TABS.filter(([, , action]) => can(user, action, letter.campaignId)).map(([path, label]) => (
        <a href={`${base}${path}`} aria-current={path === current ? "page" : undefined}>
          {t(label)}
        </a>
      ))}
      {letter.slug && letter.state && (READABLE_LETTER_STATES as readonly string[]).includes(letter.state) ? (
        <a href={`/letters/${letter.slug}`}>{`/letters/${letter.slug}`}</a>
      ) : null}
    </nav>
  );
}
