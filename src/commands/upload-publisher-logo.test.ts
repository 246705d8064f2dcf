import { readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { commandDeps } from "../../test/accounts.ts";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { consoleActor, letterDraft } from "../../test/letter-drafts.ts";
import { insertCampaign } from "../../test/letter-factory.ts";
import { getLetterForEditing } from "../queries/get-letter-for-editing.ts";
import { createLetter } from "./create-letter.ts";
import { uploadPublisherLogo } from "./upload-publisher-logo.ts";

const now = new Date("2026-03-01T10:00:00.000Z");
const SECRET_PLACE = "Secret Office Hpa-an";

/** A real PNG carrying EXIF with a GPS position and a telling description, as a phone photo would. */
async function pngWithExif(): Promise<Buffer> {
  return sharp({ create: { width: 40, height: 20, channels: 3, background: { r: 122, g: 31, b: 43 } } })
    .png()
    .withExif({
      IFD0: { ImageDescription: SECRET_PLACE, Artist: "Ko Photographer" },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "16/1 53/1 0/1",
        GPSLongitudeRef: "E",
        GPSLongitude: "97/1 38/1 0/1",
      },
    })
    .toBuffer();
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`uploadPublisherLogo on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    async function setUp() {
      const deps = commandDeps(store.current(), store.dataDir());
      const campaign = await insertCampaign(store.current().db);
      const actor = await consoleActor(store.current(), "coordinator", [campaign.id]);
      const letter = await createLetter(deps, { actor, draft: letterDraft(campaign.id) }, now);
      return { deps, actor, letter, campaign };
    }

    it("re-encodes a PNG, dropping its EXIF, stores it by content hash and sets the logo", async () => {
      const { deps, actor, letter } = await setUp();
      const original = await pngWithExif();
      expect((await sharp(original).metadata()).exif).toBeDefined();
      expect(original.includes(SECRET_PLACE)).toBe(true);

      const { url } = await uploadPublisherLogo(deps, { actor, letterId: letter.id, bytes: original }, now);
      expect(url).toMatch(/^\/uploads\/[0-9a-f]{64}\.png$/);
      const stored = readFileSync(path.join(store.dataDir(), "uploads", url.slice("/uploads/".length)));
      const meta = await sharp(stored).metadata();
      expect(meta).toMatchObject({ format: "png", width: 40, height: 20 });
      expect(meta.exif).toBeUndefined();
      expect(stored.includes(SECRET_PLACE)).toBe(false);
      expect(stored.includes("Exif")).toBe(false);

      expect((await getLetterForEditing(store.current().db, letter.id))!.publisher.logoUrl).toBe(url);
      const uploads = await store.current().db.selectFrom("uploads").selectAll().execute();
      expect(uploads.find((u) => url.includes(u.sha256))).toMatchObject({
        media_type: "image/png",
        bytes: stored.length,
      });
    });

    it("refuses a PHP script, an SVG and an HTML page named .png, and anything over 2 MB", async () => {
      const { deps, actor, letter, campaign } = await setUp();
      const fakes = [
        "<?php system($_GET['c']); ?>",
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
        "<!doctype html><html><body><script>alert(1)</script></body></html>",
      ];
      for (const fake of fakes) {
        await expect(
          uploadPublisherLogo(deps, { actor, letterId: letter.id, bytes: Buffer.from(fake) }, now),
        ).rejects.toMatchObject({ code: "validation", fields: { logo: "letters.logoType" } });
      }
      // A PNG signature followed by garbage is still no image.
      const truncated = Buffer.concat([(await pngWithExif()).subarray(0, 16), Buffer.from("<?php ?>")]);
      await expect(
        uploadPublisherLogo(deps, { actor, letterId: letter.id, bytes: truncated }, now),
      ).rejects.toMatchObject({ fields: { logo: "letters.logoUnreadable" } });
      const huge = Buffer.concat([await pngWithExif(), Buffer.alloc(2 * 1024 * 1024)]);
      await expect(
        uploadPublisherLogo(deps, { actor, letterId: letter.id, bytes: huge }, now),
      ).rejects.toMatchObject({ fields: { logo: "letters.logoTooLarge" } });
      const reviewer = await consoleActor(store.current(), "reviewer", [campaign.id]);
      await expect(
        uploadPublisherLogo(deps, { actor: reviewer, letterId: letter.id, bytes: await pngWithExif() }, now),
      ).rejects.toMatchObject({ code: "forbidden" });
      expect((await getLetterForEditing(store.current().db, letter.id))!.publisher.logoUrl).toBeNull();
    });
  });
}
