/*
 * Reading at scale: GET /letters/:slug for a published letter with 10,000 listed signatories, and page 400
 * of the signatory list of a letter with 100,000, each against a bare Fastify route measured in the same
 * run.  Run: npx tsx bench/letter-page.ts [seconds]   (DATABASE_URL=postgres://… for PostgreSQL)
 */
import { insertCampaign, insertLetter, insertSignatures } from "../test/letter-factory.ts";
import { interleavedRatios, measure, startBareFastify, startUndersigned } from "./support.ts";

const seconds = Number(process.argv[2] ?? 10);
const bare = await startBareFastify();
const app = await startUndersigned(process.env.DATABASE_URL);
try {
  const { db } = app.store;
  const seedStart = performance.now();
  const campaign = await insertCampaign(db);
  const categories = ["Myanmar", "regional", "international"];
  const body = `We, the undersigned {{total}} organisations, write to you.${" A sentence of the letter.[^1]".repeat(40)}\n\n[^1]: A source, https://example.org/source`;
  const seed = async (listed: number, undisclosed: number) => {
    const letter = await insertLetter(db, {
      campaignId: campaign.id,
      categories,
      translations: [{ language: "en", title: "Benchmark letter", subject: "Load", body }],
    });
    await insertSignatures(db, letter, [
      ...Array.from({ length: listed }, (_, i) => ({
        displayName: `Organisation ${i.toString(36)} for Human Rights`,
        category: categories[i % 3]!,
        country: ["Myanmar", "Thailand", "Malaysia", "Indonesia"][i % 4]!,
        website: i % 5 === 0 ? `https://example.org/${i}` : null,
      })),
      ...Array.from({ length: undisclosed }, () => ({ visibility: "undisclosed" as const })),
    ]);
    return letter;
  };
  const page = await seed(10_000, 2_000);
  const list = await seed(100_000, 0);
  console.log(`seeded 112,000 signatures in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  const letterUrl = `${app.url}/letters/${page.slug}`;
  const listUrl = `${app.url}/letters/${list.slug}/signatories?page=400`;
  // Warm: JIT, connections, and the first (uncached) render of each page.
  await measure(bare.url, 2);
  await measure(letterUrl, 2);
  await measure(listUrl, 2);

  const db_ = process.env.DATABASE_URL ? "PostgreSQL" : "SQLite";
  const results = await interleavedRatios(
    bare.url,
    [
      { label: `letter page, 10,000 listed, ${db_}`, url: letterUrl },
      { label: `signatory list page 400 of 100,000, ${db_}`, url: listUrl },
    ],
    seconds,
  );
  for (const [label, r] of results) {
    console.log(
      `median ratio ${label} ÷ bare: ${r.median.toFixed(2)} (rounds: ${r.ratios.map((x) => x.toFixed(2)).join(", ")})`,
    );
  }
} finally {
  await app.close();
  await bare.close();
}
