import { describe, expect, it } from "vitest";
import { assembleCounts, zeroCounts } from "./counts.ts";
import { renderLetterMarkdown } from "./letter-markdown.ts";
import { toRoman } from "./roman.ts";
import { isSafeHref } from "./safe-url.ts";

const counts = assembleCounts([
  { kind: "organisation", visibility: "listed", count: 298 },
  { kind: "organisation", visibility: "undisclosed", count: 1253 },
]);
const render = (body: string, locale: "en" | "my" = "en") =>
  renderLetterMarkdown({ body }, { locale, counts: zeroCounts() }).html.body;

describe("renderLetterMarkdown", () => {
  it("numbers 16 footnotes i … xvi as endnotes, with links both ways and unique ids", () => {
    const refs = Array.from({ length: 16 }, (_, i) => `claim ${i + 1}[^n${i + 1}]`).join(", ");
    const defs = Array.from({ length: 16 }, (_, i) => `[^n${i + 1}]: Source ${i + 1}, 2023.`).join("\n");
    const out = renderLetterMarkdown({ body: `${refs}.\n\n${defs}\n` }, { locale: "en", counts });

    expect(out.endnoteCount).toBe(16);
    expect(out.html.body).not.toContain("Source 1,");
    for (let n = 1; n <= 16; n++) {
      const r = toRoman(n);
      expect(out.html.body).toContain(`<a href="#note-${r}" id="note-${r}-ref">[${r}]</a>`);
      expect(out.endnotes).toContain(`<li id="note-${r}" value="${n}"><p>Source ${n}, 2023.`);
      expect(out.endnotes).toContain(`<a href="#note-${r}-ref" class="endnote-backref">`);
    }
    expect(out.endnotes.startsWith('<ol class="endnotes" type="i">')).toBe(true);
    const ids = [...(out.html.body + out.endnotes).matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(32);
  });

  it("numbers endnotes across parts and gives a second citation of a note its own id", () => {
    const out = renderLetterMarkdown(
      { body: "One[^a] and again[^a], two[^b].\n\n[^a]: A.\n[^b]: B.", closing: "Three[^c].\n\n[^c]: C." },
      { locale: "en", counts, idPrefix: "letter-notes" },
    );
    expect(out.endnoteCount).toBe(3);
    expect(out.html.body).toContain('id="letter-notes-i-ref"');
    expect(out.html.body).toContain('id="letter-notes-i-ref-2"');
    expect(out.html.closing).toContain('<a href="#letter-notes-iii" id="letter-notes-iii-ref">[iii]</a>');
    expect(out.endnotes).toContain('href="#letter-notes-i-ref-2"');
    expect(out.endnotes.match(/<li /g)).toHaveLength(3);
    expect(renderLetterMarkdown({ body: "No notes." }, { locale: "en", counts }).endnotes).toBe("");
  });

  it("fills count placeholders in the page's number format, also inside endnotes and links", () => {
    const out = renderLetterMarkdown(
      {
        body: "We, the undersigned {{total}} organisations[^1], of whom [{{ listed }} are named](#list).\n\n[^1]: {{undisclosed}} chose not to be named.",
      },
      { locale: "en", counts },
    );
    expect(out.html.body).toContain("We, the undersigned 1,551 organisations");
    expect(out.html.body).toContain('<a href="#list">298 are named</a>');
    expect(out.endnotes).toContain("1,253 chose not to be named.");
    const burmese = renderLetterMarkdown({ body: "{{total}} ဖွဲ့" }, { locale: "my", counts });
    expect(burmese.html.body).toContain("၁,၅၅၁ ဖွဲ့");
  });

  it("reads demands numbered ၁။ ၂။ on their own lines as an ordered list that keeps its Burmese numbers", () => {
    const { html } = renderLetterMarkdown(
      {
        body: "ကျွန်ုပ်တို့ တောင်းဆိုသည်မှာ –\n၁။ ပထမ *အရေးကြီး*\n၂။ ဒုတိယ\n\nနောက်ထပ်\n\n၃။ တတိယ\n\nဤစာ၏ ၁။ သည် စာကြောင်းအလယ်တွင်",
      },
      { locale: "my", counts },
    );
    expect(html.body).toContain(
      '<p>ကျွန်ုပ်တို့ တောင်းဆိုသည်မှာ –</p>\n<ol class="burmese-numbers">\n<li><span class="list-marker">၁။</span> ပထမ <em>အရေးကြီး</em></li>\n<li><span class="list-marker">၂။</span> ဒုတိယ</li>\n</ol>',
    );
    // A list that starts further on keeps its number, as "3." would.
    expect(html.body).toContain(
      '<ol start="3" class="burmese-numbers">\n<li><span class="list-marker">၃။</span> တတိယ</li>',
    );
    // Only at the start of a line is it a number.
    expect(html.body).toContain("<p>ဤစာ၏ ၁။ သည် စာကြောင်းအလယ်တွင်</p>");
    // Lists numbered the Markdown way are left alone.
    expect(renderLetterMarkdown({ body: "1. one\n2. two" }, { locale: "my", counts }).html.body).toBe(
      "<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n",
    );
  });

  it("leaves unknown placeholders and code visible", () => {
    const html = render("{{signatures}} and `{{total}}` and {{constructor}}");
    expect(html).toContain("{{signatures}}");
    expect(html).toContain("<code>{{total}}</code>");
    expect(html).toContain("{{constructor}}");
  });

  it("keeps Markdown structure: paragraphs, emphasis, ordered demands", () => {
    const html = render("Dear Ministers,\n\n1. *stop* this;\n2. do **that**.\n\nIf not:\n\n3. this.");
    expect(html).toContain("<em>stop</em>");
    expect(html).toContain("<strong>that</strong>");
    expect(html).toContain('<ol start="3">');
  });
});

describe("renderLetterMarkdown against script injection", () => {
  const attacks = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//evil.example></iframe>",
    '<svg onload="alert(1)">',
  ];
  for (const attack of attacks) {
    it(`shows raw HTML as text: ${attack}`, () => {
      const html = render(`Before ${attack} after\n\n${attack}`);
      expect(html).not.toMatch(/<(script|img|iframe|svg|a )/i);
      expect(html).toContain("&lt;");
    });
  }

  const badLinks = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "java&#x09;script:alert(1)",
    "java&#10;script:alert(1)",
    "%6Aavascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:image/png;base64,iVBORw0KGgo=",
    "file:///etc/passwd",
    "ｊａｖａｓｃｒｉｐｔ:alert(1)",
  ];
  for (const target of badLinks) {
    it(`drops the link target ${target}`, () => {
      const html = render(`[click](${target}) and <${target}> and [ref][r]\n\n[r]: ${target}`);
      expect(html).not.toMatch(/href="(?!#)[^"]*:/);
      expect(html.toLowerCase()).not.toContain('href="javascript');
      expect(html.toLowerCase()).not.toContain('href="data');
      expect(html).not.toMatch(/href="[^"]*script/i);
    });
  }

  it("drops unsafe links inside endnotes too", () => {
    const out = renderLetterMarkdown(
      { body: "Claim[^1].\n\n[^1]: [Source](javascript:alert(1)), 2023." },
      { locale: "en", counts },
    );
    expect(out.endnotes).not.toMatch(/href="[^"#]/);
    expect(out.endnotes).toContain("[Source](javascript:alert(1)), 2023.");
  });

  it("does not load images from anywhere", () => {
    const html = render("![tracker](https://tracker.example/pixel.gif)");
    expect(html).not.toContain("<img");
  });

  it("keeps http, https, mailto, relative and fragment links, and linkifies bare URLs", () => {
    const html = render(
      "[a](https://example.org/r?x=1) [b](http://example.net) [c](mailto:office@example.org) [d](/letters/x) [e](#note-i) https://example.com/report",
    );
    expect(html).toContain('href="https://example.org/r?x=1"');
    expect(html).toContain('href="http://example.net"');
    expect(html).toContain('href="mailto:office@example.org"');
    expect(html).toContain('href="/letters/x"');
    expect(html).toContain('href="#note-i"');
    expect(html).toContain('href="https://example.com/report"');
  });

  it("refuses a bad id prefix rather than writing it into attributes", () => {
    expect(() => renderLetterMarkdown({ body: "x" }, { locale: "en", counts, idPrefix: '"><b' })).toThrow(
      TypeError,
    );
  });
});

describe("isSafeHref", () => {
  it("allows only http, https, mailto and same-origin targets", () => {
    for (const ok of [
      "https://example.org",
      "HTTP://EXAMPLE.ORG",
      "mailto:a@example.org",
      "/x",
      "x/y:z",
      "#n",
      "?q=1",
      "//example.org/p",
    ]) {
      expect([ok, isSafeHref(ok)]).toEqual([ok, true]);
    }
    for (const bad of [
      "javascript:alert(1)",
      " \u0001javascript:alert(1)",
      "java\tscript:alert(1)",
      "java\nscript:alert(1)",
      "JAVASCRIPT:alert(1)",
      "javascript%3Aalert(1)",
      "%256Aavascript:alert(1)",
      "vbscript:x",
      "data:text/html,x",
      "ftp://example.org",
      "&#106;avascript:alert(1)",
      "javascript&colon;alert(1)",
      "java&Tab;script:alert(1)",
    ]) {
      expect([bad, isSafeHref(bad)]).toEqual([bad, false]);
    }
  });
});
