import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createExampleCampaign } from "../src/commands/create-example-campaign.ts";
import { EXAMPLE_CAMPAIGN, EXAMPLE_LETTER } from "../src/domain/example-letter.ts";
import { insertSignableLetter } from "../test/sign-on-factory.ts";
import { CHROMIUM, useJourney } from "./support/journey.ts";
import { createOwnerThroughSetupLink, turnOnTotp } from "./support/owner.ts";
import { screenshotWithFonts } from "./support/screenshot.ts";

/*
 * axe-core, the accessibility engine, run in Chromium over the public pages and the console's main pages,
 * in English and in Burmese, at phone width. Its source comes from node_modules and is evaluated through
 * the browser's debugging channel: no page loads it, and no third-party origin is involved. A serious or
 * critical finding fails the journey, listed with the page and the elements it concerns.
 */

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

type Finding = { id: string; impact: string | null; help: string; targets: string[] };

async function seriousFindings(page: Page): Promise<Finding[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is defined by the evaluated source, untyped here.
    const axe = (window as any).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map(
      (v: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
      }),
    );
  });
  return (violations as Finding[]).filter((v) => v.impact === "serious" || v.impact === "critical");
}

const owner = {
  name: "Daw Access Owner",
  email: "access.owner@example.org",
  password: "a passphrase for the accessibility journey",
};

describe.skipIf(!CHROMIUM.available)(`the main pages pass an accessibility check${CHROMIUM.note}`, () => {
  const journey = useJourney();

  it("finds no serious or critical axe-core violation on public and console pages, in English and Burmese", async () => {
    const { store } = journey.server();
    await createExampleCampaign({ store, config: journey.config() }, new Date());
    const signable = await insertSignableLetter(store.db);
    await createOwnerThroughSetupLink(journey, owner);
    await turnOnTotp(journey);
    const example = await store.db
      .selectFrom("letters")
      .select("id")
      .where("slug", "=", EXAMPLE_LETTER.slug)
      .executeTakeFirstOrThrow();

    const paths = [
      "/",
      `/campaigns/${EXAMPLE_CAMPAIGN.slug}`,
      `/letters/${EXAMPLE_LETTER.slug}`,
      `/letters/${EXAMPLE_LETTER.slug}/signatories`,
      `/letters/${signable.slug}/sign`,
      "/admin",
      "/admin/campaigns",
      `/admin/campaigns/${EXAMPLE_CAMPAIGN.slug}`,
      `/admin/letters/${example.id}`,
      `/admin/letters/${example.id}/translations/my`,
      `/admin/letters/${example.id}/share`,
      `/admin/letters/${signable.id}/review`,
      `/admin/letters/${signable.id}/import`,
      `/admin/letters/${example.id}/recipients`,
    ];
    const page = journey.page();
    await page.setViewportSize({ width: 390, height: 844 });
    const found: Record<string, Finding[]> = {};
    for (const lang of ["en", "my"]) {
      for (const path of paths) {
        const url = `${journey.baseUrl()}${path}?lang=${lang}`;
        const response = await page.goto(url);
        expect([url, response?.status()]).toEqual([url, 200]);
        const findings = await seriousFindings(page);
        if (findings.length > 0) found[`${path}?lang=${lang}`] = findings;
      }
    }
    expect(found).toEqual({});

    // The translation page on a laptop: each part of the original level with its translation.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${journey.baseUrl()}/admin/letters/${example.id}/translations/my`);
    const rows = await page
      .locator(".side-by-side .pair")
      .evaluateAll((pairs) =>
        pairs.map((pair) =>
          Array.from(pair.children).map((side) => Math.round(side.getBoundingClientRect().bottom)),
        ),
      );
    for (const [original, translation] of rows) expect(original).toBe(translation);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    await screenshotWithFonts(page, "docs/screenshots/console-translation.png");

    // The check can fail: a field without a label, added to the page, is reported as critical.
    await page.evaluate(() => document.querySelector("main")?.append(document.createElement("input")));
    expect((await seriousFindings(page)).map((f) => [f.id, f.impact])).toContainEqual(["label", "critical"]);
  });
});
