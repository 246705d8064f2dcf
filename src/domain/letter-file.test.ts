import { describe, expect, it } from "vitest";
import { LetterFileError, parseLetterFile, serialiseLetterFile } from "./letter-file.ts";

const main = `---
title: Joint letter on the example river dams
subject: "Request: suspend the permits"
letter_date: 2026-02-10
publication_date: 2026-02-24
language: en
addressees:
  - heading: The Ministers of Energy of
    names: [Examplestan, Sampleland]
  - heading: The Ministers of Energy of
    names: [Testonia]
salutation: Dear Ministers,
closing: This letter is endorsed by {{total}} organisations.
signers: organisations
categories: [Myanmar, regional, international]
---

We, the undersigned {{total}} organisations, urge you to:

1. suspend the permits;[^1]
2. publish the studies.

[^1]: Example Institute, *A fictional report*, 2025.
`;

const burmese = `---
title: နမူနာ မြစ်ဆည်များဆိုင်ရာ ပူးတွဲပေးစာ
language: my
addressees:
  - heading: စွမ်းအင်ဝန်ကြီးများ
    names: [နမူနာနိုင်ငံ]
salutation: လေးစားအပ်ပါသော ဝန်ကြီးများခင်ဗျား
categories: [မြန်မာ, ဒေသတွင်း]
---

ကျွန်ုပ်တို့ အဖွဲ့အစည်း {{total}} ဖွဲ့သည် ...
`;

function errorOf(fn: () => unknown): LetterFileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LetterFileError) return e;
    throw e;
  }
  throw new Error("expected a LetterFileError");
}

describe("letter files", () => {
  it("reads the front matter, the body and a translation", () => {
    const letter = parseLetterFile({ name: "letter.md", text: main }, [
      { name: "letter.my.md", language: "my", text: burmese },
    ]);
    expect(letter.settings).toEqual({
      slug: undefined,
      language: "en",
      letterDate: "2026-02-10",
      publicationDate: "2026-02-24",
      signers: "organisations",
      categories: ["Myanmar", "regional", "international"],
      countStatements: {},
      // The Burmese file translates the first two categories; the third shows as written.
      categoryLabels: { my: ["မြန်မာ", "ဒေသတွင်း"] },
    });
    const [en, my] = letter.translations;
    expect(en!.addressees).toEqual([
      { heading: "The Ministers of Energy of", names: ["Examplestan", "Sampleland"] },
      { heading: "The Ministers of Energy of", names: ["Testonia"] },
    ]);
    expect(en!.subject).toBe("Request: suspend the permits");
    expect(en!.body.startsWith("We, the undersigned {{total}}")).toBe(true);
    expect(en!.body).toContain("[^1]: Example Institute");
    expect(my!.language).toBe("my");
    expect(my!.title).toBe("နမူနာ မြစ်ဆည်များဆိုင်ရာ ပူးတွဲပေးစာ");
    expect(my!.closing).toBe("");
  });

  it("round-trips: import → export → import changes nothing, and export is stable", () => {
    const first = parseLetterFile({ name: "letter.md", text: main }, [
      { name: "letter.my.md", language: "my", text: burmese },
    ]);
    const files = serialiseLetterFile(first);
    expect(files.map((f) => f.language)).toEqual(["en", "my"]);
    const second = parseLetterFile({ name: "letter.md", text: files[0]!.text }, [
      { name: "letter.my.md", language: "my", text: files[1]!.text },
    ]);
    expect(second).toEqual(first);
    expect(serialiseLetterFile(second)).toEqual(files);
  });

  it("accepts Windows line endings and a byte-order mark", () => {
    const letter = parseLetterFile({ name: "letter.md", text: `\uFEFF${main.replace(/\n/g, "\r\n")}` });
    expect(letter.translations[0]!.title).toBe("Joint letter on the example river dams");
    expect(letter.translations[0]!.body).not.toContain("\r");
  });

  it("refuses an unknown key with its line and name", () => {
    const e = errorOf(() =>
      parseLetterFile({ name: "letter.md", text: main.replace("salutation:", "salutaton:") }),
    );
    expect(e.line).toBe(12);
    expect(e.key).toBe("salutaton");
    expect(e.message).toMatch(/^letter\.md:12: salutaton: unknown key/);
  });

  it("refuses malformed values with the line of their key", () => {
    const badDate = errorOf(() =>
      parseLetterFile({ name: "l.md", text: main.replace("2026-02-10", "2026-02-31") }),
    );
    expect([badDate.line, badDate.key, badDate.reason]).toEqual([4, "letter_date", "is not a real date"]);
    const badSigners = errorOf(() =>
      parseLetterFile({ name: "l.md", text: main.replace("signers: organisations", "signers: everyone") }),
    );
    expect([badSigners.line, badSigners.key]).toEqual([14, "signers"]);
    const badGroup = errorOf(() =>
      parseLetterFile({ name: "l.md", text: main.replace("names: [Testonia]", "names: Testonia") }),
    );
    expect(badGroup.key).toBe("addressees");
    expect(badGroup.reason).toMatch(/at 1\.names/);
  });

  it("takes the waiting count in a count statement and refuses a placeholder that is not a count", () => {
    const file = (statement: string) => `---\ntitle: Counts\ncount_statement: "${statement}"\n---\nBody.\n`;
    expect(
      parseLetterFile({
        name: "letter.md",
        text: file("{{total}} endorse it; {{waiting}} more will be named."),
      }).settings.countStatements,
    ).toEqual({ en: "{{total}} endorse it; {{waiting}} more will be named." });
    expect(() => parseLetterFile({ name: "letter.md", text: file("{{ totals }} endorse it.") })).toThrow(
      "letter.md:3: count_statement: {{ totals }} is not a count (use {{total}}, {{listed}}, {{undisclosed}}, {{waiting}})",
    );
  });

  it("refuses a file without a title, without front matter, or with broken YAML", () => {
    expect(
      errorOf(() => parseLetterFile({ name: "l.md", text: main.replace(/^title:.*\n/m, "") })).reason,
    ).toBe("is required");
    expect(errorOf(() => parseLetterFile({ name: "l.md", text: "# Just markdown\n" })).line).toBe(1);
    const broken = errorOf(() =>
      parseLetterFile({ name: "l.md", text: main.replace("names: [Testonia]", "names: [Testonia") }),
    );
    expect(broken.reason).toMatch(/^malformed YAML/);
  });

  it("refuses a translation whose language disagrees with its file name", () => {
    const e = errorOf(() =>
      parseLetterFile({ name: "letter.md", text: main }, [
        { name: "letter.th.md", language: "th", text: burmese },
      ]),
    );
    expect(e.file).toBe("letter.th.md");
    expect(e.key).toBe("language");
  });

  it("refuses a translation with more categories than the main file", () => {
    const e = errorOf(() =>
      parseLetterFile({ name: "letter.md", text: main }, [
        {
          name: "letter.my.md",
          language: "my",
          text: burmese.replace("[မြန်မာ, ဒေသတွင်း]", "[က, ခ, ဂ, ဃ]"),
        },
      ]),
    );
    expect(e.message).toBe(
      "letter.my.md:8: categories: must have at most 3, one per category of the main file",
    );
  });

  it("refuses keys a translation cannot carry (settings belong to the main file)", () => {
    const e = errorOf(() =>
      parseLetterFile({ name: "letter.md", text: main }, [
        {
          name: "letter.my.md",
          language: "my",
          text: burmese.replace("language: my", "language: my\nsigners: both"),
        },
      ]),
    );
    expect(e.key).toBe("signers");
    expect(e.line).toBe(4);
  });
});

describe("the publisher block of a letter file", () => {
  const withPublisher = (block: string) =>
    main.replace("signers: organisations", `signers: organisations\n${block}`);
  const BLOCK = `publisher:
  name: Example Rivers Coalition
  url: https://rivers.example.org
  about: A coalition of river communities.
  links:
    - label: Website
      url: https://rivers.example.org
    - label: Facebook
      url: https://facebook.example.com/rivers
  logo: images/logo.png`;

  it("reads name, website, about, labelled links and the logo's path, and writes them back unchanged", () => {
    const parsed = parseLetterFile({ name: "letter.md", text: withPublisher(BLOCK) });
    expect(parsed.settings.publisher).toEqual({
      name: "Example Rivers Coalition",
      url: "https://rivers.example.org",
      links: [
        { label: "Website", url: "https://rivers.example.org" },
        { label: "Facebook", url: "https://facebook.example.com/rivers" },
      ],
      logo: "images/logo.png",
    });
    // "about" is text of the letter's language, as publisher_about is.
    expect(parsed.translations[0]!.publisherAbout).toBe("A coalition of river communities.");
    const [written] = serialiseLetterFile(parsed);
    expect(parseLetterFile({ name: "letter.md", text: written!.text })).toEqual(parsed);
    expect(serialiseLetterFile(parseLetterFile({ name: "letter.md", text: written!.text }))).toEqual(
      serialiseLetterFile(parsed),
    );
  });

  it("refuses an unknown key, a link without a label, an unsafe address, a logo outside the folder, and about given twice", () => {
    const line = main.split("\n").findIndex((l) => l.startsWith("signers:")) + 2;
    const refusal = (block: string) => {
      try {
        parseLetterFile({ name: "letter.md", text: withPublisher(block) });
      } catch (error) {
        if (error instanceof LetterFileError) return error.message;
        throw error;
      }
      return "accepted";
    };
    expect(refusal("publisher:\n  name: X\n  twitter: '@x'")).toMatch(
      new RegExp(`^letter\\.md:${line}: publisher: .*twitter`),
    );
    expect(refusal("publisher:\n  links:\n    - url: https://x.example.org")).toContain(
      "publisher: is required (at links.0.label)",
    );
    expect(refusal("publisher:\n  url: javascript:alert(1)")).toContain("publisher: must be a web address");
    expect(refusal("publisher:\n  logo: ../secrets/logo.png")).toContain(
      "publisher: must be a PNG, JPEG or WebP",
    );
    expect(refusal("publisher:\n  logo: /etc/logo.png")).toContain("publisher: must be a PNG, JPEG or WebP");
    expect(refusal("publisher:\n  about: One.\npublisher_about: Two.")).toBe(
      `letter.md:${line}: publisher: about is given twice: here and in publisher_about; keep one`,
    );
    expect(refusal("publisher:\n  logo: logo.png")).toBe("accepted");
  });
});
