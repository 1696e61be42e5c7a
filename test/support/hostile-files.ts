import { createDeflate } from "node:zlib";
import { PDFDocument, PDFName } from "pdf-lib";

export { manyPagesPdf, oneLineText } from "../../scripts/bench/large-files.js";

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

/** HTML with `depth` nested <div>s. */
export function deeplyNestedHtml(depth: number): Buffer {
  return Buffer.from(`<!doctype html><html><body>${"<div>".repeat(depth)}deep${"</div>".repeat(depth)}</body></html>`, "utf8");
}
