import { createDeflate } from "node:zlib";
import { PDFDocument, PDFName, StandardFonts } from "pdf-lib";

/**
 * A flate bomb: a one-page PDF whose content stream is `inflated` bytes of spaces deflated (600 MB → ~0.6 MB).
 * A reader that inflates the stream whole holds all of it in memory.
 */
export async function flateBombPdf(inflated: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([612, 792]);
  const data = await deflateSpaces(inflated);
  const stream = doc.context.stream(data, { Filter: "FlateDecode" });
  page.node.set(PDFName.of("Contents"), doc.context.register(stream));
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** `n` spaces deflated, streamed in 16 MiB pieces so the test never holds the inflated size. */
async function deflateSpaces(n: number): Promise<Buffer> {
  const piece = Buffer.alloc(Math.min(n, 16 * 1024 * 1024), 0x20);
  const deflate = createDeflate({ level: 9 });
  const out: Buffer[] = [];
  deflate.on("data", (d: Buffer) => out.push(d));
  const ended = new Promise<void>((resolve, reject) => deflate.on("end", resolve).on("error", reject));
  for (let left = n; left > 0; left -= piece.length) {
    if (!deflate.write(piece.subarray(0, Math.min(left, piece.length)))) await new Promise((r) => deflate.once("drain", r));
  }
  deflate.end();
  await ended;
  return Buffer.concat(out);
}

const WORDS = ["fan", "hub", "cable", "reset", "firmware", "pairing", "battery", "sensor", "router", "display", "update", "warranty"];

/** A `pages`-page PDF, each page a few lines of distinct text (so no line looks like a running header). */
export async function manyPagesPdf(pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([300, 200]);
    const w = (k: number): string => WORDS[(i * 7 + k * 5) % WORDS.length]!;
    page.drawText(`Check the ${w(1)} before the ${w(2)}; then the ${w(3)} ${(i * 7919).toString(36)}.`, { x: 10, y: 150, size: 8, font });
    page.drawText(`The ${w(4)} and ${w(5)} step ${(i * 104729).toString(36)} is done.`, { x: 10, y: 120, size: 8, font });
  }
  return Buffer.from(await doc.save());
}

/** `bytes` of text on one line (no newline), made of words so it chunks like prose. */
export function oneLineText(bytes: number): Buffer {
  const sentence = "the fan controller resets when the blue cable is unplugged and the hub reboots twice. ";
  return Buffer.from(sentence.repeat(Math.ceil(bytes / sentence.length)).slice(0, bytes), "utf8");
}

/** HTML with `depth` nested <div>s. */
export function deeplyNestedHtml(depth: number): Buffer {
  return Buffer.from(`<!doctype html><html><body>${"<div>".repeat(depth)}deep${"</div>".repeat(depth)}</body></html>`, "utf8");
}
