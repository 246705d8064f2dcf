import { PDFDocument, PDFName } from "pdf-lib";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { stripDocumentMetadata, UnreadableDocument } from "./strip-document-metadata.ts";

const SECRET = "Daw Khin Secret Author";

async function photoWithGps(format: "jpeg" | "png" | "webp"): Promise<Buffer> {
  const image = sharp({ create: { width: 40, height: 30, channels: 3, background: "#884422" } }).withExif({
    IFD0: { Artist: SECRET, Make: "PhoneMaker" },
    // IFD3 is the GPS directory: a position in Yangon.
    IFD3: {
      GPSLatitudeRef: "N",
      GPSLatitude: "16/1 47/1 0/1",
      GPSLongitudeRef: "E",
      GPSLongitude: "96/1 9/1 0/1",
    },
  });
  return format === "jpeg"
    ? image.jpeg().toBuffer()
    : format === "png"
      ? image.png().toBuffer()
      : image.webp().toBuffer();
}

describe("response documents lose their maker's metadata", () => {
  for (const [format, type] of [
    ["jpeg", "image/jpeg"],
    ["png", "image/png"],
    ["webp", "image/webp"],
  ] as const) {
    it(`re-encodes a ${format} photo without EXIF (GPS position, author, camera)`, async () => {
      const original = await photoWithGps(format);
      const before = await sharp(original).metadata();
      expect(before.exif?.includes(Buffer.from(SECRET))).toBe(true);

      const stripped = Buffer.from(await stripDocumentMetadata(original, type));
      const after = await sharp(stripped).metadata();
      expect(after.exif).toBeUndefined();
      expect(after.xmp).toBeUndefined();
      expect(after.format).toBe(format);
      expect([after.width, after.height]).toEqual([40, 30]);
      expect(stripped.includes(Buffer.from(SECRET))).toBe(false);
      expect(stripped.includes(Buffer.from("PhoneMaker"))).toBe(false);
    });
  }

  it("turns a photo upright before its EXIF orientation goes", async () => {
    const sideways = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#224488" } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const after = await sharp(Buffer.from(await stripDocumentMetadata(sideways, "image/jpeg"))).metadata();
    expect([after.width, after.height, after.orientation]).toEqual([30, 40, undefined]);
  });

  it("rewrites a PDF without author, creator, producer, dates, file identifier or XMP, keeping its pages", async () => {
    const made = await PDFDocument.create();
    made.addPage([200, 100]);
    made.addPage([200, 100]);
    made.setAuthor(SECRET);
    made.setCreator("Ministry Word Processor");
    made.setProducer("Scanner 3000");
    made.setTitle("Reply of the ministry");
    made.setCreationDate(new Date("2026-01-02T03:04:05Z"));
    made.setModificationDate(new Date("2026-01-02T03:04:05Z"));
    const xmp = made.context.stream(`<x:xmpmeta><dc:creator>${SECRET} xmp</dc:creator></x:xmpmeta>`, {
      Type: "Metadata",
      Subtype: "XML",
    });
    made.catalog.set(PDFName.of("Metadata"), made.context.register(xmp));
    const original = Buffer.from(await made.save({ useObjectStreams: false }));
    expect(original.includes(Buffer.from(`${SECRET} xmp`))).toBe(true);

    const stripped = Buffer.from(await stripDocumentMetadata(original, "application/pdf"));
    expect(stripped.includes(Buffer.from(`${SECRET} xmp`))).toBe(false);
    expect(stripped.includes(Buffer.from("/Author"))).toBe(false);
    expect(stripped.includes(Buffer.from("/Producer"))).toBe(false);
    const reread = await PDFDocument.load(stripped, { updateMetadata: false });
    expect(reread.getPageCount()).toBe(2);
    expect([reread.getAuthor(), reread.getCreator(), reread.getProducer(), reread.getTitle()]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(reread.getCreationDate()).toBeUndefined();
    expect(reread.catalog.get(PDFName.of("Metadata"))).toBeUndefined();
    expect(reread.context.trailerInfo.ID).toBeUndefined();
  });

  it("refuses a document it cannot read", async () => {
    await expect(
      stripDocumentMetadata(Buffer.from("%PDF-1.7 not really"), "application/pdf"),
    ).rejects.toBeInstanceOf(UnreadableDocument);
    await expect(
      stripDocumentMetadata(Buffer.from([0xff, 0xd8, 0xff, 0, 1]), "image/jpeg"),
    ).rejects.toBeInstanceOf(UnreadableDocument);
  });
});
