import { DOMParser, type Element } from "@xmldom/xmldom";
import { describe, expect, it } from "vitest";
import { atomFeed } from "./atom-feed.ts";

const ATOM = "http://www.w3.org/2005/Atom";

describe("atomFeed", () => {
  it("writes a well-formed Atom 1.0 feed whose titles and content cannot become markup", () => {
    const xml = atomFeed({
      id: "https://letters.example/letters/a/updates.atom",
      title: "Updates: A & B",
      selfUrl: "https://letters.example/letters/a/updates.atom",
      pageUrl: "https://letters.example/letters/a",
      author: "Coalition <x>",
      language: "en",
      updated: "2026-01-01T00:00:00.000Z",
      entries: [
        {
          id: "https://letters.example/letters/a#update-2",
          title: "<script>alert(1)</script> handed over",
          updated: "2026-03-02T10:00:00.000Z",
          link: "https://letters.example/letters/a#update-2",
          html: "<p>Delivered &amp; received</p>",
          language: "my",
        },
      ],
    });
    const errors: string[] = [];
    const doc = new DOMParser({
      onError: (level, message) => errors.push(`${level}: ${message}`),
    }).parseFromString(xml, "application/xml");
    expect(errors).toEqual([]);
    const feed = doc.documentElement!;
    expect(feed.namespaceURI).toBe(ATOM);
    expect(feed.localName).toBe("feed");
    const child = (parent: Element, name: string) => parent.getElementsByTagNameNS(ATOM, name)[0]!;
    expect(child(feed, "id").textContent).toBe("https://letters.example/letters/a/updates.atom");
    expect(child(feed, "updated").textContent).toBe("2026-03-02T10:00:00.000Z");
    expect(child(feed, "title").textContent).toBe("Updates: A & B");
    const links = Array.from(feed.getElementsByTagNameNS(ATOM, "link")).filter((l) => l.parentNode === feed);
    expect(links.map((l) => l.getAttribute("rel"))).toEqual(["self", "alternate"]);
    const entry = child(feed, "entry");
    // The title is text, not an element: the script tag survives only as characters.
    expect(child(entry, "title").textContent).toBe("<script>alert(1)</script> handed over");
    expect(child(entry, "title").getElementsByTagName("script")).toHaveLength(0);
    expect(xml).not.toContain("<script>");
    const content = child(entry, "content");
    expect(content.getAttribute("type")).toBe("html");
    expect(content.textContent).toBe("<p>Delivered &amp; received</p>");
    expect(entry.getAttribute("xml:lang")).toBe("my");
  });
});
