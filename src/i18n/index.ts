import { en, type MessageKey, type Messages } from "./en.ts";
import { my } from "./my.ts";

export type { MessageKey };
export const LOCALES = ["en", "my"] as const;
export type Locale = (typeof LOCALES)[number];

const catalogues: Record<Locale, Messages> = { en, my };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** Returns a translator for one locale; `{name}` placeholders are replaced, unknown ones left visible. */
export function translator(locale: Locale): Translate {
  const messages = catalogues[locale];
  return (key, params) => {
    const text = messages[key];
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    );
  };
}

/** Locale-aware digits: Burmese pages show Myanmar numerals, as Burmese readers expect. */
export function formatNumber(locale: Locale, value: number): string {
  return new Intl.NumberFormat(locale === "my" ? "my-MM-u-nu-mymr" : "en-GB").format(value);
}

/** A calendar date (YYYY-MM-DD) in long form, in the page's language, without time-zone drift. */
export function formatDate(locale: Locale, isoDate: string): string {
  const date = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
  return new Intl.DateTimeFormat(locale === "my" ? "my-MM-u-nu-mymr" : "en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  }).format(date);
}
