import type { ComponentChildren } from "preact";
import type { Locale, Translate } from "../../i18n/index.ts";
import { assetUrl } from "../http/static-assets.ts";

export type PageContext = {
  locale: Locale;
  t: Translate;
  /** Path and query of this page, used by the language switcher. */
  path: string;
  user?: { name: string } | undefined;
  /** Present on pages with forms: the CSRF token every form must carry. */
  csrfToken?: string | undefined;
};

type LayoutProps = {
  ctx: PageContext;
  title: string;
  children: ComponentChildren;
  /** Extra elements for <head> (meta tags, canonical link). */
  head?: ComponentChildren;
};

/**
 * The head of a letter shown without the site's shell (the embed in another site's frame, the print view):
 * titled by the letter alone, not indexed, with the site's stylesheet and whatever `children` add.
 */
export function BareHead({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="robots" content="noindex" />
      <title>{title}</title>
      <link rel="stylesheet" href={assetUrl("site.css")} />
      {children}
    </head>
  );
}

/** The shell every HTML page shares. No scripts, no third-party origins. */
export function Layout({ ctx, title, children, head }: LayoutProps) {
  const { t } = ctx;
  return (
    <html lang={ctx.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${t("app.name")}`}</title>
        <link rel="stylesheet" href={assetUrl("site.css")} />
        <link rel="icon" href={assetUrl("favicon.svg")} type="image/svg+xml" />
        {head}
      </head>
      <body>
        <a class="skip" href="#content">
          {t("nav.skip")}
        </a>
        <header class="site">
          <div class="inner">
            <a class="brand" href="/">
              {t("app.name")}
            </a>
            <nav aria-label={t("nav.language")}>
              <LanguageLink ctx={ctx} locale="en" label="English" />
              <LanguageLink ctx={ctx} locale="my" label="မြန်မာ" />
              {ctx.user ? <a href="/admin">{t("nav.console")}</a> : null}
            </nav>
          </div>
        </header>
        <main id="content">{children}</main>
        <footer class="site">
          <div class="inner">{t("app.tagline")}</div>
        </footer>
      </body>
    </html>
  );
}

function LanguageLink({ ctx, locale, label }: { ctx: PageContext; locale: Locale; label: string }) {
  // "//" and "///" would read as a host ("//evil.example"): one leading slash keeps it a path on this site.
  const url = new URL(ctx.path.replace(/^\/+/, "/"), "http://x");
  url.searchParams.set("lang", locale);
  const href = `${url.pathname}?${url.searchParams.toString()}`;
  return ctx.locale === locale ? (
    <span aria-current="true" lang={locale}>
      {label}
    </span>
  ) : (
    <a href={href} lang={locale} hreflang={locale}>
      {label}
    </a>
  );
}

/** The hidden CSRF field; put it first in every form that changes state. */
export function CsrfField({ ctx }: { ctx: PageContext }) {
  return <input type="hidden" name="_csrf" value={ctx.csrfToken ?? ""} />;
}
