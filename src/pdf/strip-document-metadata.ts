import { PDFDocument, PDFName, PDFRef } from "pdf-lib";
import sharp from "sharp";
import type { DocumentType } from "../domain/response-documents.ts";

/*
 * A response document is published as we store it, so it must not carry what its maker's software wrote
 * about them: a photo's EXIF (GPS position, camera serial, time taken), a PDF's author, creator, producer
 * and dates in its Info dictionary and XMP packet. Images are decoded and encoded again (sharp keeps no
 * metadata unless asked to), turned upright first since the EXIF orientation goes with the rest; PDFs are
 * rewritten by pdf-lib (plain JavaScript, no network or external binary) without the Info dictionary and
 * the document's XMP stream.
 */

/** Pixels a response photo may have (a 100-megapixel scan), so a decompression bomb is refused. */
const MAX_INPUT_PIXELS = 100_000_000;

export class UnreadableDocument extends Error {}

export async function stripDocumentMetadata(bytes: Uint8Array, type: DocumentType): Promise<Uint8Array> {
  try {
    return type === "application/pdf" ? await stripPdf(bytes) : await reencodeImage(bytes, type);
  } catch (error) {
    throw new UnreadableDocument(error instanceof Error ? error.message : String(error));
  }
}

async function reencodeImage(bytes: Uint8Array, type: Exclude<DocumentType, "application/pdf">) {
  const image = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" }).rotate();
  const encoded =
    type === "image/png"
      ? image.png()
      : type === "image/webp"
        ? image.webp({ quality: 90 })
        : image.jpeg({ quality: 90, mozjpeg: true });
  return new Uint8Array(await encoded.toBuffer());
}

async function stripPdf(bytes: Uint8Array): Promise<Uint8Array> {
  // updateMetadata: false, or pdf-lib writes its own producer, creator and dates into a fresh Info.
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  const { context, catalog } = pdf;
  const info = context.trailerInfo.Info;
  if (info instanceof PDFRef) context.delete(info);
  context.trailerInfo.Info = undefined;
  // The file identifier is often a hash over the author, path and time of creation.
  context.trailerInfo.ID = undefined;
  const xmp = catalog.get(PDFName.of("Metadata"));
  if (xmp instanceof PDFRef) context.delete(xmp);
  catalog.delete(PDFName.of("Metadata"));
  // Each page may carry an XMP packet of its own (PDF 1.4 §10.2.2): removed alike.
  for (const page of pdf.getPages()) {
    const pageXmp = page.node.get(PDFName.of("Metadata"));
    if (pageXmp instanceof PDFRef) context.delete(pageXmp);
    page.node.delete(PDFName.of("Metadata"));
  }
  return pdf.save({ updateFieldAppearances: false });
}
