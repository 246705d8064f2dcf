import { isSafeHref } from "../../../domain/safe-url.ts";
import { isLocale, type Locale, type translator } from "../../../i18n/index.ts";
import type { PublicLetter } from "../../../queries/get-public-letter.ts";
import type { PageContext } from "../layout.tsx";
import { langOf } from "../text-lang.tsx";

/** Who publishes the letter: logo, name, about and links, part of the letter and in its language. */
export function PublisherBlock({
  ctx,
  letter,
  lt,
}: {
  ctx: PageContext;
  letter: PublicLetter;
  lt: ReturnType<typeof translator>;
}) {
  const { publisher } = letter;
  // The block is part of the letter, so it is in the letter's language like its heading.
  const within: Locale = isLocale(letter.language) ? letter.language : ctx.locale;
  const links = publisher.links.filter((l) => isSafeHref(l.url));
  if (!publisher.name && !publisher.about && links.length === 0) return null;
  const name = publisher.name ?? "";
  return (
    <section class="publisher" aria-labelledby="publisher">
      <h2 id="publisher">{lt("letter.publisher")}</h2>
      {/* Only a same-origin logo: an absolute URL would make every reader's browser call another server. */}
      {publisher.logoUrl?.startsWith("/") && !publisher.logoUrl.startsWith("//") ? (
        <img
          class="publisher-logo"
          src={publisher.logoUrl}
          alt={ctx.t("letter.publisherLogo", { name })}
          loading="lazy"
        />
      ) : null}
      {name ? (
        <p>
          <strong lang={langOf(name, within)}>
            {publisher.url && isSafeHref(publisher.url) ? <a href={publisher.url}>{name}</a> : name}
          </strong>
        </p>
      ) : null}
      {publisher.about ? <p lang={letter.partLanguage.publisherAbout}>{publisher.about}</p> : null}
      {links.length > 0 ? (
        <ul class="publisher-links">
          {links.map((l) => (
            <li key={l.url}>
              <a href={l.url} rel="me noopener" lang={langOf(l.label, within)}>
                {l.label}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
