// Seals batches of boxes for sealing.ts's sealInWorker: plain JavaScript, so that the thread starts without
// the TypeScript loader. It takes { id, plaintexts, publicKey } (the key in standard base64) and answers
// { id, boxes } in the same order, or { id, error } when sodium-native cannot be loaded here.
import { createRequire } from "node:module";
import { parentPort } from "node:worker_threads";

let sodium;
try {
  sodium = createRequire(import.meta.url)("sodium-native");
} catch (error) {
  sodium = error;
}

parentPort.on("message", ({ id, plaintexts, publicKey }) => {
  if (sodium instanceof Error) {
    parentPort.postMessage({ id, error: sodium.message });
    return;
  }
  const key = Buffer.from(publicKey, "base64");
  const boxes = plaintexts.map((text) => {
    const message = Buffer.from(text, "utf8");
    const box = Buffer.alloc(message.length + sodium.crypto_box_SEALBYTES);
    sodium.crypto_box_seal(box, message, key);
    return box.toString("base64");
  });
  parentPort.postMessage({ id, boxes });
});
