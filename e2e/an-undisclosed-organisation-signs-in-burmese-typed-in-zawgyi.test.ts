import { describe, expect, it } from "vitest";
import { insertSignableLetter } from "../test/sign-on-factory.ts";
import { CHROMIUM, useJourney } from "./support/journey.ts";
import {
  approveTheEndorsement,
  confirmationLinkFromMailbox,
  publicCounts,
  takeLongerThanAProgram,
} from "./support/sign-on.ts";

// "မြန်မာ လူ့အခွင့်အရေး ကွန်ရက်" as a Zawgyi keyboard types it.
const ZAWGYI_NAME = "ျမန္မာ လူ႔အခြင့္အေရး ကြန္ရက္";
const UNICODE_NAME = "မြန်မာ လူ့အခွင့်အရေး ကွန်ရက်";

describe.skipIf(!CHROMIUM.available)(
  `an undisclosed organisation signs in Burmese typed in Zawgyi${CHROMIUM.note}`,
  () => {
    const journey = useJourney();

    it("signs without JavaScript, checks the converted name, confirms from the mail, is approved and counted", async () => {
      const { store } = journey.server();
      const letter = await insertSignableLetter(store.db, { moderation: true });
      const base = journey.baseUrl();
      const api = () => publicCounts(journey, letter.slug);
      expect(await api()).toMatchObject({ total: 0, undisclosed: 0 });

      const context = await journey.newContext({ javaScriptEnabled: false, locale: "my-MM" });
      const page = await context.newPage();
      await page.goto(`${base}/letters/${letter.slug}/sign?lang=my`);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(
        "ထောက်ခံရန် - အတင်းအကျပ် ပြန်ပို့မှုများကို ရပ်တန့်ပါ",
      );
      await page.getByLabel("အဖွဲ့အစည်းအမည်").fill(ZAWGYI_NAME);
      await page.getByLabel("နိုင်ငံ").selectOption("MM");
      await page.getByLabel("ဝဘ်ဆိုက်").fill("journey-network.example.net");
      await page.getByLabel("ဆက်သွယ်ရန်ပုဂ္ဂိုလ်").fill("Ko Journey");
      await page.getByLabel("အီးမေးလ်လိပ်စာ").fill("journey.signer@example.net");
      await page.getByRole("radio", { name: /အမည်မဖော်ပြပါ/ }).check();
      await page.getByRole("checkbox", { name: /ထောက်ခံပိုင်ခွင့် ရှိကြောင်း/ }).check();
      await takeLongerThanAProgram(page);
      await page.getByRole("button", { name: "ပေးစာကို ထောက်ခံမည်" }).click();

      // The check step: the Zawgyi name, converted to Unicode, is shown for the signer to confirm.
      expect(await page.getByRole("status").textContent()).toContain("ဇော်ဂျီ");
      expect(await page.getByLabel("အဖွဲ့အစည်းအမည်").inputValue()).toBe(UNICODE_NAME);
      await page.getByRole("button", { name: "မှန်ပါသည် - ပေးစာကို ထောက်ခံမည်" }).click();
      await page.waitForURL(`**/letters/${letter.slug}/sign/sent`);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("သင့်အီးမေးလ်ကို စစ်ဆေးပါ");

      const link = await confirmationLinkFromMailbox(journey, "သင့်ထောက်ခံချက်ကို အတည်ပြုပါ");
      await page.goto(link);
      // Opening the link shows a button; only pressing it confirms.
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("သင့်ထောက်ခံချက်ကို အတည်ပြုပါ");
      expect(await api()).toMatchObject({ total: 0 });
      await page.getByRole("button", { name: "ကျွန်ုပ်၏ ထောက်ခံချက်ကို အတည်ပြုမည်" }).click();
      await page.getByRole("heading", { name: "သင့်ထောက်ခံချက်ကို အတည်ပြုပြီးပါပြီ" }).waitFor();
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("သင့်ထောက်ခံချက်ကို အတည်ပြုပြီးပါပြီ");
      const main = (await page.locator("main").textContent()) ?? "";
      expect(main).toContain("အမည်မဖော်ပြပါ။ သင့်အချက်အလက်များကို သော့ခတ်ထားသဖြင့်");
      expect(main).not.toContain(UNICODE_NAME);
      expect(await api()).toMatchObject({ total: 0 });

      const signature = await store.db
        .selectFrom("signatures")
        .select("display_name")
        .where("letter_id", "=", letter.id)
        .executeTakeFirstOrThrow();
      expect(signature.display_name).toBeNull();
      await approveTheEndorsement(journey, letter.id);
      expect(await api()).toMatchObject({ total: 1, undisclosed: 1, listed: 0 });
      const letterPage = await page.goto(`${base}/letters/${letter.slug}?lang=my`);
      expect(await letterPage!.text()).not.toContain(UNICODE_NAME);

      await context.close();
      expect(journey.foreignRequests()).toEqual([]);
      expect(journey.pageErrors()).toEqual([]);
    });
  },
);
