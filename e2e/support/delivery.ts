import type { Page } from "playwright-core";
import { expect } from "vitest";

/** A coordinator's steps on a letter's "Recipients & delivery" page. */

export type Recipient = { name: string; country: string; group: string; email: string };

/** Adds each official with their email address, one form at a time. */
export async function addRecipients(page: Page, recipients: readonly Recipient[]): Promise<void> {
  for (const recipient of recipients) {
    await page.getByLabel("Official or office").fill(recipient.name);
    await page.getByLabel("Country").fill(recipient.country);
    await page.getByLabel("Addressee group").fill(recipient.group);
    await page.getByLabel("Email addresses").fill(recipient.email);
    await page.getByRole("button", { name: "Add a recipient" }).click();
    await page.waitForURL(/\/recipients\?notice=added$/);
  }
}

/**
 * Ticks these recipients, sets where replies go and sends: the first press shows the mail as the ministers
 * will read it (rendered, no Markdown left) and sends nothing; "Send now" queues it.
 */
export async function previewAndSend(
  page: Page,
  recipients: readonly Recipient[],
  replyTo: string,
): Promise<void> {
  for (const { name } of recipients) await page.getByRole("checkbox", { name }).check();
  await page.getByLabel("Replies go to").fill(replyTo);
  await page.getByRole("button", { name: "Preview the mail" }).click();
  await page.waitForURL(/\/recipients\/deliver$/);
  const preview = page.locator("[data-mail-preview]");
  expect(await preview.textContent()).toContain(`Reply-To: ${replyTo}`);
  expect(await preview.locator("h1").count()).toBe(1);
  expect(await preview.textContent()).not.toMatch(/\[\^|\*\*/);
  await page.getByRole("button", { name: "Send now" }).click();
  await page.waitForURL(/\/recipients\/deliver$/);
  expect(await page.getByRole("status").textContent()).toContain(
    `The letter and its PDF are queued for ${recipients.length === 1 ? "1 recipient" : `${recipients.length} recipients`}.`,
  );
}
