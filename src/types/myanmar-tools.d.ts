// myanmar-tools 1.1.3 ships no type declarations; this covers the two classes we use.
declare module "myanmar-tools" {
  export class ZawgyiDetector {
    /** 0…1; -Infinity for text without Myanmar characters. */
    getZawgyiProbability(text: string): number;
  }
  export class ZawgyiConverter {
    zawgyiToUnicode(text: string): string;
    unicodeToZawgyi(text: string): string;
  }
  const mt: { ZawgyiDetector: typeof ZawgyiDetector; ZawgyiConverter: typeof ZawgyiConverter };
  export default mt;
}
