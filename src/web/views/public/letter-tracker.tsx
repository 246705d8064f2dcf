import { trackerStatement } from "../../../domain/tracker-statement.ts";
import { formatDate } from "../../../i18n/index.ts";
import {
  stanceLabel,
  type LetterTracker as Tracker,
  type TrackerRecipient,
} from "../../../queries/get-letter-tracker.ts";
import type { PageContext } from "../layout.tsx";
import { Marked } from "../text-lang.tsx";

/*
 * The public tracker under a letter: the generated sentence ("To date, 12 of 16 recipients have not
 * responded."), then each addressee group with its recipients, when the letter reached them, when they
 * answered (public responses only, with their summary and document) and their stances, in the reader's
 * language. Shown once the letter has been delivered to anyone: before that there is nothing to track.
 */

export function hasTracker(tracker: Tracker | undefined): tracker is Tracker {
  return tracker !== undefined && tracker.counts.delivered > 0;
}

/**
 * The recipients in the coordinators' order, a group for each run of one addressee group. A letter may address
 * two groups under the same heading ("The Defence Ministers of" ASEAN's members, then again the partners'), so
 * a group is its heading and which of the letter's groups it is, never the heading alone.
 */
export function trackerGroups(
  recipients: readonly TrackerRecipient[],
): { heading: string; recipients: TrackerRecipient[] }[] {
  const groups: { heading: string; key: number | null; recipients: TrackerRecipient[] }[] = [];
  for (const r of recipients) {
    const heading = r.addresseeGroup ?? "";
    const last = groups.at(-1);
    if (last && last.heading === heading && last.key === r.addresseeGroupKey) last.recipients.push(r);
    else groups.push({ heading, key: r.addresseeGroupKey, recipients: [r] });
  }
  return groups.map(({ heading, recipients }) => ({ heading, recipients }));
}

export function LetterTracker({ ctx, tracker }: { ctx: PageContext; tracker: Tracker }) {
  const { t, locale } = ctx;
  return (
    <section class="tracker no-print" aria-labelledby="tracker" lang={locale}>
      <h2 id="tracker">{t("tracker.title")}</h2>
      <p class="tracker-statement">{trackerStatement(tracker.counts, locale, t)}</p>
      {trackerGroups(tracker.recipients).map(({ heading: group, recipients }, i) => (
        <div class="tracker-group" key={i}>
          <h3>{group ? <Marked text={group} within={locale} /> : t("tracker.otherRecipients")}</h3>
          <ul>
            {recipients.map((r) => (
              <li key={r.id}>
                <strong>
                  <Marked text={r.name} within={locale} />
                </strong>
                {r.office ? (
                  <span class="muted">
                    {" · "}
                    <Marked text={r.office} within={locale} />
                  </span>
                ) : null}
                {r.country ? (
                  <span class="muted">
                    {" · "}
                    <Marked text={r.country} within={locale} />
                  </span>
                ) : null}
                <br />
                <span>
                  {r.deliveredAt && r.deliveryMethod
                    ? t(`tracker.delivered.${r.deliveryMethod}`, { date: formatDate(locale, r.deliveredAt) })
                    : t("tracker.notDelivered")}
                </span>
                {" · "}
                <span>
                  {r.respondedAt
                    ? t("tracker.respondedOn", { date: formatDate(locale, r.respondedAt) })
                    : t("tracker.noResponse")}
                </span>
                {r.stances.length > 0 ? (
                  <ul class="stances">
                    {r.stances.map((s) => (
                      <li key={s.label}>{stanceLabel(s, locale)}</li>
                    ))}
                  </ul>
                ) : null}
                {r.responses.map((response, i) => (
                  <blockquote key={i}>
                    <p>
                      <Marked text={response.summary} within={locale} />
                    </p>
                    {response.documentUrl ? (
                      <p>
                        <a href={response.documentUrl}>{t("tracker.document")}</a>
                      </p>
                    ) : null}
                  </blockquote>
                ))}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
