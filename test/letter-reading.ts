import type { FastifyInstance } from "fastify";
import { beforeAll } from "vitest";
import type { Dialect } from "../src/store/db.ts";
import { buildTestApp } from "./app.ts";
import { useStore } from "./databases.ts";
import {
  insertCampaign,
  insertLetter,
  insertSignatures,
  type TestSignature,
  type TestTranslation,
} from "./letter-factory.ts";

/*
 * What the tests of reading a letter over HTTP share: one app for the describe block on a server without
 * Chromium, letters of the reference letter's shape, and their signatories in bulk.
 */

export const BASE_URL = "https://letters.example.org";

/** A letter of the reference letter's shape: two addressee groups, sixteen endnotes, a live count. */
export function referenceTranslation(language: "en" | "my"): TestTranslation {
  const notes = Array.from(
    { length: 16 },
    (_, i) => `[^n${i + 1}]: Source number ${i + 1}, https://example.org/source/${i + 1}`,
  );
  const cites = Array.from({ length: 16 }, (_, i) => `Claim ${i + 1}.[^n${i + 1}]`).join(" ");
  return {
    language,
    title:
      language === "en" ? "Joint letter on a regional training exercise" : "ဒေသတွင်း လေ့ကျင့်ရေးဆိုင်ရာ ပူးတွဲပေးစာ",
    subject: language === "en" ? "Request to withdraw from the exercise" : "လေ့ကျင့်ရေးမှ နုတ်ထွက်ရန် တောင်းဆိုချက်",
    addressees: [
      {
        heading: language === "en" ? "The Ministers of" : "အောက်ပါနိုင်ငံများ၏ ဝန်ကြီးများ",
        names: ["Cambodia", "Laos", "Thailand"],
      },
      {
        heading: language === "en" ? "The Ministers of" : "အောက်ပါနိုင်ငံများ၏ ဝန်ကြီးများ",
        names: ["Australia", "New Zealand"],
      },
    ],
    salutation: language === "en" ? "Dear Ministers," : "ဝန်ကြီးများခင်ဗျား",
    body: `${language === "en" ? "We, the undersigned {{total}} organisations, write to you." : "အောက်တွင် လက်မှတ်ရေးထိုးထားသော အဖွဲ့အစည်း {{total}} ဖွဲ့ဖြစ်သည့် ကျွန်ုပ်တို့သည် စာရေးအပ်ပါသည်။"}\n\n${cites}\n\n${notes.join("\n")}`,
    closing: language === "en" ? "We look forward to your reply." : "သင်တို့၏ တုံ့ပြန်မှုကို မျှော်လင့်ပါသည်။",
  };
}

export const listed = (
  n: number,
  make: (i: number) => Partial<TestSignature> = () => ({}),
): TestSignature[] =>
  Array.from({ length: n }, (_, i) => ({
    displayName: `Listed Organisation ${String(i + 1).padStart(5, "0")}`,
    category: ["Myanmar", "regional", "international"][i % 3]!,
    ...make(i),
  }));
export const undisclosed = (n: number): TestSignature[] =>
  Array.from({ length: n }, () => ({ visibility: "undisclosed" as const, category: "Myanmar" }));

export function statementOf(html: string): string {
  return /<p class="count-statement"[^>]*>([^<]*)<\/p>/.exec(html)?.[1] ?? "";
}

/** A fresh store and app for the enclosing describe block, reading GETs, and letters with signatories. */
export function useLetterReading(dialect: Dialect) {
  const store = useStore(dialect);
  let app: FastifyInstance;
  const db = () => store.current().db;
  const get = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: "GET", url, headers });

  beforeAll(async () => {
    ({ app } = await buildTestApp(store.current(), store.dataDir(), {
      BASE_URL,
      // A server without Chromium: the PDF route must say how to install one.
      CHROMIUM_PATH: "/nonexistent/chromium",
    }));
    return () => app.close();
  });

  async function letterWith(
    signatures: TestSignature[],
    values: Partial<Parameters<typeof insertLetter>[1]> = {},
  ) {
    const campaign = await insertCampaign(db());
    const letter = await insertLetter(db(), {
      campaignId: campaign.id,
      categories: ["Myanmar", "regional", "international"],
      ...values,
    });
    await insertSignatures(db(), letter, signatures);
    return letter;
  }

  return { store, db, get, letterWith };
}
