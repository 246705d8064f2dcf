import type { ProposedNameChange } from "../../../queries/list-review-queue.ts";
import { PostForm } from "../components/form.tsx";
import type { PageContext } from "../layout.tsx";

/**
 * Name changes that signers of approved endorsements asked for: the public name beside the proposed one,
 * with Accept and Decline. Until a reviewer decides, the letter keeps showing the approved name.
 */
export function NameChanges({
  ctx,
  letterId,
  changes,
}: {
  ctx: PageContext;
  letterId: number;
  changes: readonly ProposedNameChange[];
}) {
  const { t } = ctx;
  if (changes.length === 0) return null;
  const shown = (name: string, alt: string | null) => (alt ? `${name} (${alt})` : name);
  return (
    <section aria-labelledby="name-changes">
      <h2 id="name-changes">{t("review.nameChanges")}</h2>
      <p class="muted">{t("review.nameChangesHint")}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t("review.nameNow")}</th>
            <th scope="col">{t("review.nameProposed")}</th>
            <th scope="col">
              <span class="visually-hidden">{t("review.decision")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {changes.map((change) => (
            <tr key={change.id}>
              <td>{shown(change.name, change.nameAlt)}</td>
              <td>{shown(change.proposedName, change.proposedNameAlt)}</td>
              <td>
                <PostForm ctx={ctx} action={`/admin/letters/${letterId}/review/name-change`} class="inline">
                  <input type="hidden" name="id" value={String(change.id)} />
                  <button type="submit" name="decision" value="accept">
                    {t("review.nameAccept")}
                  </button>{" "}
                  <button type="submit" name="decision" value="decline" class="secondary">
                    {t("review.nameDecline")}
                  </button>
                </PostForm>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
