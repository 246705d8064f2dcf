import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isCalendarDay } from "../domain/calendar-day.ts";
import { confusableSkeleton } from "../domain/confusables.ts";
import { csvCell, toCsv, UTF8_BOM, withoutFormulaGuard } from "../domain/csv.ts";
import { parseCsv } from "../domain/csv-reader.ts";
import { displayName, matchKey, nameProblem, zawgyiToUnicode } from "../domain/names.ts";
import { textProblem } from "../domain/text-input.ts";
import { normaliseWebsite } from "../domain/website.ts";
import { translator } from "../i18n/index.ts";
import { editorSchema } from "./forms/letter-form.ts";
import { parseForm } from "./forms/parse-form.ts";
import { parseFormBody } from "./http/form-body.ts";
import { preferredLocale, qualityList } from "./http-negotiation.ts";

/*
 * Properties of every parser and normaliser that hostile input reaches first: whatever string arrives,
 * they answer without throwing, and what they let through is what the rest of the app may rely on.
 */

/** No lone surrogate (String.prototype.isWellFormed, which the TypeScript target here does not know). */
const wellFormed = (s: string) =>
  !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

const RUNS = { numRuns: 400, seed: 20261203 };

/** Any string, including lone surrogates, controls, bidi and zero-width characters and Burmese. */
const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc
    .array(
      fc.constantFrom(
        "\u0000",
        "\u0007",
        "\t",
        "\n",
        "\r",
        "\u0085",
        "\u200B",
        "\u200C",
        "\u200D",
        "\uFEFF",
        "\u202E",
        "\u2066",
        "\uD800",
        "\uFFFD",
        "မြန်မာ",
        "Org",
        " ",
        "а",
        "１",
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join("")),
);

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

describe("names and typed text", () => {
  it("refuses or accepts every string without throwing, and an accepted name is clean, settled and not empty", () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        const problem = nameProblem(raw);
        if (problem !== undefined) return;
        const shown = displayName(raw);
        expect(shown).not.toBe("");
        expect(shown).not.toMatch(CONTROLS);
        expect(shown).not.toMatch(BIDI);
        expect(shown).not.toMatch(/[\u200B-\u200D\uFEFF]/);
        expect(shown).toBe(shown.normalize("NFC"));
        expect(displayName(shown)).toBe(shown);
        expect(nameProblem(shown)).toBeUndefined();
        expect(matchKey(shown)).toBe(matchKey(matchKey(shown)));
      }),
      RUNS,
    );
  });

  it("refuses a name carrying a bidi control, a control character or broken encoding wherever it sits", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }).filter((s) => nameProblem(s) === undefined),
        fc.constantFrom("\u202E", "\u2067", "\u200F", "\u0000", "\u001B", "\u0085", "\uD800", "\uFFFD"),
        fc.nat(),
        (name, hostile, at) => {
          const position = at % (name.length + 1);
          const typed = name.slice(0, position) + hostile + name.slice(position);
          // Slicing may split a surrogate pair: that is broken encoding too, refused all the same.
          expect(nameProblem(typed)).toBeDefined();
        },
      ),
      RUNS,
    );
  });

  it("refuses a name of nothing but zero-width characters and spaces", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("\u200B", "\u200C", "\u200D", "\uFEFF", " ", "\t", "\n")),
        (parts) => {
          expect(nameProblem(parts.join(""))).toBe("field.required");
        },
      ),
      RUNS,
    );
  });

  it("leaves the Zawgyi detector alone on anything refused", () => {
    // nameProblem runs first; a refused string never reaches conversion, so it must not change there.
    fc.assert(
      fc.property(anyText, (raw) => {
        if (nameProblem(raw) === undefined) return;
        expect(() => zawgyiToUnicode(raw)).not.toThrow();
      }),
      RUNS,
    );
  });

  it("finds a text problem exactly when there is broken encoding or a control other than tab and line ends", () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        const broken = /\uFFFD/.test(raw) || !wellFormed(raw);
        expect(textProblem(raw)).toBe(
          broken ? "field.invalidEncoding" : CONTROLS.test(raw) ? "field.controlCharacter" : undefined,
        );
      }),
      RUNS,
    );
  });

  it("gives Latin text and its Cyrillic and full-width look-alikes one confusable skeleton", () => {
    const lookAlike: Record<string, string> = { a: "а", c: "с", e: "е", o: "о", p: "р", x: "х", y: "у" };
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("a", "c", "e", "o", "p", "x", "y", "1", "7", " "), {
          minLength: 1,
          maxLength: 20,
        }),
        fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }),
        (letters, swap) => {
          const latin = letters.join("");
          const disguised = letters
            .map((c, i) =>
              !swap[i] ? c : (lookAlike[c] ?? (/\d/.test(c) ? String.fromCodePoint(0xff10 + Number(c)) : c)),
            )
            .join("");
          expect(confusableSkeleton(disguised)).toBe(confusableSkeleton(latin));
        },
      ),
      RUNS,
    );
  });
});

describe("form bodies", () => {
  it("decodes what a browser encodes, field for field", () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 10 }).filter((k) => wellFormed(k) && k !== "__proto__"),
          fc.string({ maxLength: 30 }).filter((v) => wellFormed(v)),
        ),
        (fields) => {
          const body = parseFormBody(new URLSearchParams(fields).toString());
          expect({ ...body }).toEqual(fields);
        },
      ),
      RUNS,
    );
  });

  it("decodes any bytes, percent-encoded or raw, to text without throwing and never keeps a broken %XX", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 30 }), (bytes) => {
        const escaped = [...bytes].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
        const value = parseFormBody(`name=${escaped}`).name as string;
        expect(value).toBe(new TextDecoder().decode(bytes));
        expect(wellFormed(value)).toBe(true);
      }),
      RUNS,
    );
  });
});

describe("CSV export and import", () => {
  it("reads back exactly what an export wrote, formula guard and all", () => {
    const cell = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom("=1+2", "+31 6", "-x", "@sum", "'=1", "\tx", '"=q"', "''=x", "a,b", "line\r\nbreak"),
    );
    fc.assert(
      fc.property(
        fc.array(cell, { minLength: 1, maxLength: 4 }),
        fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { maxLength: 5 }),
        (header, rows) => {
          const width = header.length;
          const table = rows.map((row) => Array.from({ length: width }, (_, i) => row[i] ?? ""));
          const csv = toCsv(header, table);
          expect(csv.startsWith(UTF8_BOM)).toBe(true);
          expect(parseCsv(csv)).toEqual([header, ...table]);
        },
      ),
      RUNS,
    );
  });

  it("takes only the apostrophe an export put before a formula", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (value) => {
        const written = csvCell(value).replace(/^"|"$/g, "").replace(/""/g, '"');
        expect(withoutFormulaGuard(written)).toBe(value);
      }),
      RUNS,
    );
  });
});

describe("dates, websites and Accept-Language", () => {
  it("takes a day only from the year 1000 on, and only a real one", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("0000-01-01T00:00:00Z"),
          max: new Date("9999-12-31T00:00:00Z"),
          noInvalidDate: true,
        }),
        (date) => {
          const day = date.toISOString().slice(0, 10);
          expect(isCalendarDay(day)).toBe(date.getUTCFullYear() >= 1000);
        },
      ),
      RUNS,
    );
    for (const typed of ["0000-01-01", "0999-12-31", "2026-02-30", "2026-13-01", "2026-1-1", "+02026-01-01"])
      expect([typed, isCalendarDay(typed)]).toEqual([typed, false]);
  });

  it("stores any accepted website in one normal http(s) form with a domain, and refuses what has none", () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.webUrl(), fc.domain()), (typed) => {
        const url = normaliseWebsite(typed);
        if (url === undefined) return;
        const parsed = new URL(url);
        expect(["http:", "https:"]).toContain(parsed.protocol);
        expect(parsed.hostname).toContain(".");
        expect(parsed.username + parsed.password).toBe("");
        expect([parsed.href, parsed.origin]).toContain(url);
        expect(normaliseWebsite(url)).toBe(url);
      }),
      RUNS,
    );
    expect(normaliseWebsite("//evil.example/x")).toBe("https://evil.example/x");
    expect(normaliseWebsite("EXAMPLE.org")).toBe("https://example.org");
    expect(normaliseWebsite("https://bank.example@evil.example/")).toBeUndefined();
    expect(normaliseWebsite("javascript:alert(1)//x.y")).toBeUndefined();
  });

  it("picks a language we have from any Accept-Language header, without throwing", () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.string({ unit: "binary-ascii", maxLength: 80 })), (header) => {
        expect(["en", "my"]).toContain(preferredLocale(header));
        for (const { q } of qualityList(header)) expect(Number.isFinite(q)).toBe(true);
      }),
      RUNS,
    );
  });
});

describe("the letter editor's categories", () => {
  it("states the real limits, not a placeholder", () => {
    const t = translator("my");
    const categories = editorSchema.pick({ categories: true });
    const long = parseForm(categories, { categories: "x".repeat(81) }, t);
    expect(long).toEqual({ ok: false, errors: { categories: t("field.tooLong", { max: 80 }) } });
    const many = parseForm(
      categories,
      { categories: Array.from({ length: 31 }, (_, i) => `c${i}`).join("\n") },
      t,
    );
    expect(many).toEqual({ ok: false, errors: { categories: t("letters.tooManyCategories", { max: 30 }) } });
    expect(JSON.stringify([long, many])).not.toContain("{max}");
  });
});
