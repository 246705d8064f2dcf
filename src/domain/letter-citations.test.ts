import { describe, expect, it } from "vitest";
import { assembleCounts } from "./counts.ts";
import { type Citation, citedSlugs, renderLetterMarkdown } from "./letter-markdown.ts";

const counts = assembleCounts([{ kind: "organisation", visibility: "listed", count: 3 }]);
const earlier: Citation = {
  slug: "july-letter",
  title: "Stop the <forced> returns",
  language: "en",
  letterDate: "2022-07-14",
  total: 448,
};
const render = (body: string, locale: "en" | "my" = "en", citations: Citation[] = [earlier]) =>
  renderLetterMarkdown({ body }, { locale, counts, citations }).html.body;

describe("{{letter:SLUG}} citations", () => {
  it("lists the slugs a text cites, each once", () => {
    expect(
      citedSlugs(["See {{letter:a-1}} and {{ letter:b }}.", "Again {{letter:a-1}}; not {{letter:Bad}}"]),
    ).toEqual(["a-1", "b"]);
  });

  it("renders the cited letter's title as a link, its date and its total in the text's language", () => {
    const html = render("This reiterates our letter {{letter:july-letter}}, endorsed then.");
    expect(html).toContain(
      '<a href="/letters/july-letter" class="citation">Stop the &lt;forced&gt; returns</a> (14 July 2022; endorsed by 448), endorsed then.',
    );
    const burmese = render("ယခင်စာ {{letter:july-letter}} ကို ထပ်လောင်းသည်။", "my");
    expect(burmese).toContain('lang="en"');
    expect(burmese).toContain("၂၀၂၂");
    expect(burmese).toContain("ထောက်ခံသူ ၄၄၈");
  });

  it("shows a visible marker for a letter it may not cite, and never nests links", () => {
    const html = render("Unknown {{letter:draft-letter}} here.", "en", []);
    expect(html).toContain(
      '<mark class="citation-missing">[letter “draft-letter” not found in this campaign]</mark>',
    );
    const linked = render("[see {{letter:july-letter}}](https://example.org)");
    expect(linked.match(/<a /g)).toHaveLength(1);
    expect(linked).toContain("Stop the &lt;forced&gt; returns (14 July 2022; endorsed by 448)");
  });

  it("keeps count placeholders working beside citations", () => {
    const html = render("{{total}} now, {{letter:july-letter}} then, {{unknown}} stays.");
    expect(html).toContain("3 now, ");
    expect(html).toContain("{{unknown}} stays.");
  });
});
