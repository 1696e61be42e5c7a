import { constants, inflateSync } from "node:zlib";

const STREAM = Buffer.from("stream", "latin1");
const END_STREAM = Buffer.from("endstream", "latin1");
/** How far before a `stream` keyword its dictionary is looked for (dictionaries are short). */
const DICT_WINDOW = 2048;

/**
 * Bytes the file's Flate-compressed streams inflate to, counted stream by stream before pdf.js sees the file, and
 * at most `limit + 1`: as soon as the total passes `limit` counting stops, so a flate bomb (a small stream that
 * inflates to gigabytes) is recognised without ever being held whole. Streams that fail to inflate count what they
 * produced before the error (pdf.js is as tolerant and would produce as much).
 */
export function inflatedBytes(pdf: Buffer, limit: number): number {
  let total = 0;
  let at = pdf.indexOf(STREAM);
  while (at >= 0 && total <= limit) {
    const start = dataStart(pdf, at);
    const isKeyword = at < 3 || pdf.toString("latin1", at - 3, at) !== "end";
    if (isKeyword && start > 0) {
      const end = pdf.indexOf(END_STREAM, start);
      const stop = end < 0 ? pdf.length : end;
      if (isFlate(pdf, at)) total += inflatedSize(pdf.subarray(start, stop), limit - total + 1);
      at = pdf.indexOf(STREAM, stop + END_STREAM.length);
    } else {
      at = pdf.indexOf(STREAM, at + STREAM.length);
    }
  }
  return total;
}

/** Where a stream's data begins: after the keyword and its end of line (CRLF or LF); -1 when not a stream start. */
function dataStart(pdf: Buffer, at: number): number {
  const after = at + STREAM.length;
  if (pdf[after] === 0x0d && pdf[after + 1] === 0x0a) return after + 2;
  if (pdf[after] === 0x0a || pdf[after] === 0x0d) return after + 1;
  return -1;
}

function isFlate(pdf: Buffer, at: number): boolean {
  const dict = pdf.toString("latin1", Math.max(0, at - DICT_WINDOW), at);
  const objectStart = dict.lastIndexOf(" obj");
  return dict.slice(objectStart < 0 ? 0 : objectStart).includes("/FlateDecode") || dict.slice(objectStart < 0 ? 0 : objectStart).includes("/Fl ");
}

function inflatedSize(data: Buffer, budget: number): number {
  try {
    return inflateSync(data, { maxOutputLength: Math.max(1, budget), finishFlush: constants.Z_SYNC_FLUSH }).length;
  } catch (err) {
    // Over the budget: report one byte more than allowed so the caller sees the limit passed.
    if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") return budget;
    return 0;
  }
}
