import type { Page } from "playwright-core";
import { expect } from "vitest";
import { type KeyPair, openSealed } from "../../src/crypto/seal.ts";
import { utf8 } from "../../src/domain/tlog/bytes.ts";
import { commitment } from "../../src/domain/tlog/entries.ts";

/** What an organisation typed into the sign form before the browser sealed it. */
export type TypedOrganisation = { name: string; nameAlt: string; website: string; contact: string };

/** Types the organisation into the open sign form, as a regional one in Thailand (not its email address). */
export async function fillInTheOrganisation(page: Page, typed: TypedOrganisation): Promise<void> {
  await page.getByLabel("Name of the organisation").fill(typed.name);
  await page.getByLabel("Name in another script").fill(typed.nameAlt);
  await page.getByLabel("Category").selectOption("regional");
  await page.getByLabel("Country").selectOption("TH");
  await page.getByLabel("Website").fill(typed.website);
  await page.getByLabel("Contact person").fill(typed.contact);
}

/**
 * Opens the boxes the browser sealed, with the coordinators' key, and checks they carry what was typed (the
 * journeys' organisation is regional, in Thailand) and that the row's log commitment is the one made with
 * the salt the browser chose inside the identity: the row holds only the commitment.
 */
export async function expectSealedAsTyped(
  row: { sealed_identity: string | null; sealed_contact: string | null; undisclosed_commit: string | null },
  keyPair: KeyPair,
  typed: TypedOrganisation,
  email: string,
): Promise<void> {
  const identity = JSON.parse(await openSealed(row.sealed_identity!, keyPair));
  expect(identity).toEqual({
    v: 1,
    name: typed.name,
    name_alt: typed.nameAlt,
    website: typed.website,
    category: "regional",
    country: "TH",
    salt: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
  });
  expect(row.undisclosed_commit).toBe(
    commitment(Buffer.from(identity.salt, "base64"), utf8(row.sealed_identity!)),
  );
  expect(JSON.parse(await openSealed(row.sealed_contact!, keyPair))).toEqual({
    v: 1,
    contact_person: typed.contact,
    email,
  });
}
