import { sniffImageType } from "./uploads.ts";

/*
 * Documents attached to a recipient's response: an official's letter as a PDF, or a scan or photo of it.
 * Recognised by their first bytes, never by name or declared type, so an HTML page or a script renamed
 * reply.pdf is refused. Stored under DATA_DIR/responses (not uploads/, which serves logos to anyone) by
 * the hash of their content, and served only while the response is public (see the letter routes).
 */

export const MAX_RESPONSE_DOCUMENT_BYTES = 10 * 1024 * 1024;

export type DocumentType = "application/pdf" | "image/png" | "image/jpeg" | "image/webp";

const EXTENSIONS: Record<DocumentType, string> = {
  "application/pdf": "pdf",
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
};

export function sniffDocumentType(bytes: Uint8Array): DocumentType | undefined {
  const pdf = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
  if (bytes.length >= pdf.length && pdf.every((b, i) => bytes[i] === b)) return "application/pdf";
  return sniffImageType(bytes);
}

export function isDocumentType(value: string): value is DocumentType {
  return Object.hasOwn(EXTENSIONS, value);
}

/** Path under DATA_DIR, recorded in `uploads.path`. */
export function responseDocumentPath(sha256: string, type: DocumentType): string {
  return `responses/${sha256}.${EXTENSIONS[type]}`;
}

export function documentExtension(type: DocumentType): string {
  return EXTENSIONS[type];
}
