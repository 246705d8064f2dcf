/*
 * Uploaded images (publisher logos). Only three raster formats are accepted, recognised by their first
 * bytes rather than by name or declared type, which a browser or an attacker sets at will: a PHP script, an
 * SVG (which can carry script) or an HTML page renamed logo.png is refused. Accepted files are re-encoded
 * before storage (see upload-publisher-logo.ts), which also drops metadata such as GPS coordinates.
 */

export const MAX_LOGO_BYTES = 2 * 1024 * 1024;

export type ImageType = "image/png" | "image/jpeg" | "image/webp";

const EXTENSIONS: Record<ImageType, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
};

/** The image type the bytes really are, or undefined for anything else. */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  const starts = (signature: number[], offset = 0) =>
    bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  // RIFF....WEBP
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
  return undefined;
}

export function isImageType(value: string): value is ImageType {
  return Object.hasOwn(EXTENSIONS, value);
}

/** File name under DATA_DIR/uploads: the content hash, so equal files are stored once and names reveal nothing. */
export function uploadFileName(sha256: string, type: ImageType): string {
  return `${sha256}.${EXTENSIONS[type]}`;
}

/** Public path of an upload; the media type comes from the uploads row. */
export function uploadUrl(sha256: string, mediaType: string): string {
  return `/uploads/${sha256}.${isImageType(mediaType) ? EXTENSIONS[mediaType] : "bin"}`;
}
