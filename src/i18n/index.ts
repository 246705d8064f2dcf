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

/**
 * Returns a translator for one locale; `{name}` placeholders are replaced, unknown ones left visible. A
 * number given as a number is written in the locale's digits ("၇ ရက်", not "7 ရက်"), so no Burmese
 * sentence shows Latin digits because a caller forgot formatNumber; text params are used as given.
 */
export function translator(locale: Locale): Translate {
  const messages = catalogues[locale];
  const written = (value: string | number) =>
    typeof value === "number" && locale === "my" ? toMyanmarDigits(String(value)) : String(value);
  return (key, params) => {
    const text = messages[key];
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? written(params[name]!) : whole,
    );
  };
}

/** Latin digits as Myanmar digits (U+1040–1049), everything else unchanged. */
export function toMyanmarDigits(text: string): string {
  return text.replace(/[0-9]/g, (d) => String.fromCharCode(0x1040 + Number(d)));
}

/** Keys with a singular twin `KEY.one`: the plain key is the plural ("{count} letters" / "{count} letter"). */
export type PluralKey = {
  [K in MessageKey]: K extends `${infer Base}.one` ? (Base extends MessageKey ? Base : never) : never;
}[MessageKey];

/**
 * The message for a count: `KEY.one` for exactly one, `KEY` otherwise. Burmese has no plural, so its two
 * are the same; English gets "1 letter" and "1 minute" rather than "1 letters".
 */
export function plural(
  t: Translate,
  key: PluralKey,
  count: number,
  params: Record<string, string | number> = { count },
): string {
  return t(count === 1 ? (`${key}.one` as MessageKey) : key, params);
}

/** "Too many attempts. Please wait N minutes", with "a minute" for one. */
export function rateLimitedMessage(t: Translate, minutes: number): string {
  return plural(t, "error.rate_limited", minutes, { minutes });
}

/** Locale-aware digits: Burmese pages show Myanmar numerals, as Burmese readers expect. */
export function formatNumber(locale: Locale, value: number): string {
  return new Intl.NumberFormat(locale === "my" ? "my-MM-u-nu-mymr" : "en-GB").format(value);
}

/** A moment on the hour, e.g. a count release: "2 March 2026, 00:00 UTC", in the page's language. */
export function formatUtcHour(locale: Locale, isoTime: string): string {
  const time = new Intl.DateTimeFormat(locale === "my" ? "my-MM-u-nu-mymr" : "en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: "UTC",
  }).format(new Date(isoTime));
  return `${formatDate(locale, isoTime)}, ${time} UTC`;
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
