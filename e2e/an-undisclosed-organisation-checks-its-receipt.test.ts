import path from "node:path";
import { describe, expect, it } from "vitest";
import { verifyReceiptCommand } from "../src/cli/verify-receipt.ts";
import { cosignatureVerifierKey, formatVerifierKey, generateSigner } from "../src/domain/tlog/note.ts";
import { insertSignableLetter } from "../test/sign-on-factory.ts";
import { CHROMIUM, useJourney } from "./support/journey.ts";
import {
  approveTheEndorsement,
  confirmationLinkFromMailbox,
  takeLongerThanAProgram,
} from "./support/sign-on.ts";

describe.skipIf(!CHROMIUM.available)(`an undisclosed organisation checks its receipt${CHROMIUM.note}`, () => {
  const journey = useJourney();

  it("signs undisclosed, is approved, saves its receipt and checks it in the browser and with the CLI", async () => {
    const { store } = journey.server();
    const letter = await insertSignableLetter(store.db, { moderation: true });
    const page = journey.page();

    await page.goto(`${journey.baseUrl()}/letters/${letter.slug}/sign`);
    await page.getByLabel("Name of the organisation").fill("Irrawaddy Quiet Circle");
    await page.getByLabel("Category").selectOption("regional");
    await page.getByLabel("Country").selectOption("MM");
    await page.getByLabel("Contact person").fill("Daw Receipt");
    await page.getByLabel("Email address").fill("quiet.circle@example.org");
    await page.getByRole("radio", { name: /^Undisclosed/ }).check();
    await page.getByRole("checkbox", { name: /I am entitled to endorse/ }).check();
    await takeLongerThanAProgram(page);
    await page.getByRole("button", { name: "Endorse the letter" }).click();
    await page.waitForURL(`**/letters/${letter.slug}/sign/sent`);

    await page.goto(await confirmationLinkFromMailbox(journey, "Confirm your endorsement"));
    await page.getByRole("button", { name: "Confirm my endorsement" }).click();
    await page.getByRole("heading", { name: "Your endorsement is confirmed" }).waitFor();
    expect(await page.locator("main").textContent()).toContain("enters the public log once it counts");
    const manage = (await page.locator("a.manage-link").getAttribute("href"))!;

    // A coordinator approves; the server's own periodic work logs it within seconds.
    await approveTheEndorsement(journey, letter.id);
    for (let i = 0; i < 40; i++) {
      await page.goto(manage);
      if ((await page.locator("pre.tlog-proof").count()) > 0) break;
      await page.waitForTimeout(250);
    }
    expect(await page.locator("pre.tlog-proof").textContent()).toMatch(/^c2sp\.org\/tlog-proof@v1\n/);
    expect(await page.getByRole("term").filter({ hasText: "Your commitment's salt" }).count()).toBe(1);

    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Save the receipt as a file" }).click();
    const file = path.join(journey.workDir(), "receipt.txt");
    await (await download).saveAs(file);

    // The check happens in the page: what the browser sends from here on is public log requests only.
    await page.getByRole("link", { name: "Check this receipt" }).click();
    await page.waitForURL(`**/letters/${letter.slug}/verify`);
    const before = (await journey.sentRequests()).length;
    await page.getByLabel("or a saved receipt file").setInputFiles(file);
    await page.getByRole("button", { name: "Check the receipt" }).click();
    const results = page.locator("[data-verify-results] li");
    await results.filter({ hasText: "still contains that tree" }).waitFor();
    expect(await results.allTextContents()).toEqual([
      "✓ The receipt's checkpoint is signed by this log's key.",
      expect.stringMatching(/^✓ Your entry, number \d+, is in the log's tree of \d+ entries\.$/),
      expect.stringMatching(
        /^✓ The entry is an endorsement of this letter, counted from \d{4}-\d{2}-\d{2}\.$/,
      ),
      expect.stringMatching(/^✓ The log's newest tree \(\d+ entries\) still contains that tree/),
    ]);
    // (The page's own static files may still be loading: they are the same for every reader.)
    const fetched = (await journey.sentRequests())
      .slice(before)
      .filter((r) => !new URL(r.url).pathname.startsWith("/assets/"));
    expect(fetched.length).toBeGreaterThan(0);
    for (const request of fetched) {
      expect(request.method).toBe("GET");
      expect(new URL(request.url).pathname).toMatch(/^\/log\/(key|checkpoint|tile\/\S+)$/);
      expect(request.headers.cookie).toBeUndefined();
      expect(request.headers.referer).toBeUndefined();
    }

    // A reader's witness policy: this server has no witnesses, so a witness the reader trusts has not
    // cosigned its newest checkpoint, and the page says so; a malformed key is refused before anything.
    const witness = formatVerifierKey(cosignatureVerifierKey(generateSigner("witness.example.net")));
    await page.getByLabel("Witnesses you trust (optional)").fill(witness);
    await page.getByLabel("How many of them must have cosigned").fill("1");
    await page.getByRole("button", { name: "Check the receipt" }).click();
    await results.filter({ hasText: "✗" }).first().waitFor();
    expect(await results.allTextContents()).toContain(
      "✗ Only 0 of the witnesses you named cosigned the log's newest checkpoint (1 needed). Witnesses cosign within a minute of a change: try again shortly.",
    );
    await page.getByLabel("Witnesses you trust (optional)").fill("not-a-key");
    await page.getByRole("button", { name: "Check the receipt" }).click();
    await results.filter({ hasText: "✗" }).first().waitFor();
    expect(await results.allTextContents()).toEqual([
      "✗ The witness keys or the number are not valid: not a witness verifier key: not-a-key",
    ]);
    await page.getByLabel("Witnesses you trust (optional)").fill("");
    await page.getByLabel("How many of them must have cosigned").fill("");

    // A changed receipt is refused.
    const text = await page.evaluate(async (url) => (await fetch(url)).text(), `${manage}/receipt`);
    const changed = text.replace(/^index (\d+)$/m, (_, n: string) => `index ${Number(n) + 1}`);
    await page.getByLabel("or a saved receipt file").setInputFiles([]);
    await page.getByLabel("Receipt", { exact: true }).fill(changed);
    await page.getByRole("button", { name: "Check the receipt" }).click();
    await results.filter({ hasText: "✗" }).first().waitFor();
    expect(await results.allTextContents()).toEqual([
      "✗ The entry is not in the tree the receipt names: the receipt was changed.",
    ]);

    // The same file, checked on the signer's own machine with the CLI against the live log.
    const out: string[] = [];
    const err: string[] = [];
    const code = await verifyReceiptCommand(
      [file, "--log", `${journey.baseUrl()}/log`, "--state", path.join(journey.workDir(), "state.json")],
      { out: (l) => out.push(l), err: (l) => err.push(l), fetch },
    );
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out.join("\n")).toContain("undisclosed organisation endorsement");

    expect(journey.foreignRequests()).toEqual([]);
    expect(journey.pageErrors()).toEqual([]);
  });
});
