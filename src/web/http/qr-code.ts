import QRCode from "qrcode";

/*
 * QR codes of addresses coordinators hand out, drawn on the server as SVG: no script in the page and no
 * third-party QR service that would learn the address (a private sign-on link above all).
 */

const OPTIONS = { type: "svg", errorCorrectionLevel: "M", margin: 2 } as const;

export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, OPTIONS);
}

/** The code as a data: URL, for an address that must not travel in another request (the private link). */
export async function qrDataUrl(text: string): Promise<string> {
  return `data:image/svg+xml;base64,${Buffer.from(await qrSvg(text)).toString("base64")}`;
}
