// Generators for hostile uploads (decompression bombs, deep nesting), made in the test rather than checked in.
// Each compresses streamed zero/space chunks, so generating a 600 MB bomb never holds 600 MB in memory.
import { constants, crc32, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { createDeflate, createDeflateRaw, createGzip, type Deflate, type DeflateRaw, type Gzip } from "node:zlib";
export { manyPagesPdf, oneLineText } from "../../scripts/bench/large-files.js";

const MIB = 1024 * 1024;

/** Compresses `total` bytes of `fill` with a zlib stream, feeding it 1 MiB at a time. */
async function compressRepeated(stream: Gzip | Deflate | DeflateRaw, total: number, fill: number): Promise<Buffer> {
  const block = Buffer.alloc(MIB, fill);
  const out: Buffer[] = [];
  stream.on("data", (b: Buffer) => out.push(b));
  const done = new Promise<void>((resolve, reject) => {
    stream.on("end", resolve);
    stream.on("error", reject);
  });
  for (let left = total; left > 0; left -= MIB) {
    const piece = left >= MIB ? block : block.subarray(0, left);
    if (!stream.write(piece)) await new Promise((r) => stream.once("drain", r));
  }
  stream.end();
  await done;
  return Buffer.concat(out);
}

const LEVEL = { level: constants.Z_BEST_COMPRESSION };

/** A gzip file (`.gz`) inflating to `inflatedBytes` of zeros (default 200 MB); about 200 KB on disk. */
export function gzipBomb(inflatedBytes = 200 * MIB): Promise<Buffer> {
  return compressRepeated(createGzip(LEVEL), inflatedBytes, 0);
}

/**
 * A zip archive with one deflated entry `name` inflating to `inflatedBytes` of zeros (default 200 MB). Built by hand
 * (local header, data, central directory, end record) so no zip library is needed.
 */
export async function zipBomb(inflatedBytes = 200 * MIB, name = "manual.txt"): Promise<Buffer> {
  const data = await compressRepeated(createDeflateRaw(LEVEL), inflatedBytes, 0);
  let crc = 0;
  const block = Buffer.alloc(MIB, 0);
  for (let left = inflatedBytes; left > 0; left -= MIB) crc = crc32(left >= MIB ? block : block.subarray(0, left), crc);
  const fileName = Buffer.from(name, "utf8");
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt16LE(0, 6); // flags
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(0, 10); // time/date
  local.writeUInt32LE(crc >>> 0, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(inflatedBytes >>> 0, 22);
  local.writeUInt16LE(fileName.length, 26);
  local.writeUInt16LE(0, 28);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0, 8);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(0, 12);
  central.writeUInt32LE(crc >>> 0, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(inflatedBytes >>> 0, 24);
  central.writeUInt16LE(fileName.length, 28);
  central.writeUInt32LE(0, 42); // local header offset
  const centralOffset = local.length + fileName.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}

/**
 * A one-page PDF whose content stream is FlateDecode-compressed and inflates to `inflatedBytes` (default ~600 MB)
 * of spaces (valid content-stream whitespace), after a small visible text. About 0.6 MB on disk. The xref offsets are
 * exact, so a parser takes it for a well-formed PDF and really inflates the stream.
 */
export async function flateBombPdf(inflatedBytes = 600 * MIB): Promise<Buffer> {
  const head = Buffer.from("BT /F1 12 Tf 72 720 Td (Flate bomb test page) Tj ET\n", "latin1");
  const stream = await compressWithHead(head, inflatedBytes);
  return buildPdf(stream);
}

async function compressWithHead(head: Buffer, spaceBytes: number): Promise<Buffer> {
  const z = createDeflate(LEVEL);
  const out: Buffer[] = [];
  z.on("data", (b: Buffer) => out.push(b));
  const done = new Promise<void>((resolve, reject) => {
    z.on("end", resolve);
    z.on("error", reject);
  });
  z.write(head);
  const block = Buffer.alloc(MIB, 0x20);
  for (let left = spaceBytes; left > 0; left -= MIB) {
    if (!z.write(left >= MIB ? block : block.subarray(0, left))) await new Promise((r) => z.once("drain", r));
  }
  z.end();
  await done;
  return Buffer.concat(out);
}

function buildPdf(contentStream: Buffer): Buffer {
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let length = 0;
  const push = (b: Buffer | string) => {
    const buf = typeof b === "string" ? Buffer.from(b, "latin1") : b;
    parts.push(buf);
    length += buf.length;
  };
  const obj = (n: number, body: string | Buffer[]) => {
    offsets[n] = length;
    if (typeof body === "string") push(`${n} 0 obj\n${body}\nendobj\n`);
    else {
      push(`${n} 0 obj\n`);
      body.forEach(push);
      push("\nendobj\n");
    }
  };
  push("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
  obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
  obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>");
  obj(4, [Buffer.from(`<< /Length ${contentStream.length} /Filter /FlateDecode >>\nstream\n`, "latin1"), contentStream, Buffer.from("\nendstream", "latin1")]);
  obj(5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  const xref = length;
  push(`xref\n0 6\n0000000000 65535 f \n`);
  for (let i = 1; i <= 5; i++) push(`${String(offsets[i]).padStart(10, "0")} 00000 n \n`);
  push(`trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(parts);
}

/** HTML nested `depth` elements deep (default 200,000) around one sentence: a stack-overflow probe for parsers. */
export function deepHtml(depth = 200_000): Buffer {
  return Buffer.from(`<!doctype html><html><body>${"<div>".repeat(depth)}<p>The fan is blocked.</p>${"</div>".repeat(depth)}</body></html>`);
}

/** A JSON ticket export whose one ticket has a field nested `depth` arrays deep (default 100,000). */
export function deepTicketsJson(depth = 100_000): Buffer {
  return Buffer.from(`[{"id":"T-1","subject":"Fan noise","messages":[{"role":"customer","text":"The fan is loud."}],"extra":${"[".repeat(depth)}1${"]".repeat(depth)}}]`);
}

/** Small synchronous variants for unit tests of a loader (no streaming needed). */
export const smallBombs = {
  gzip: (bytes = 8 * MIB) => gzipSync(Buffer.alloc(bytes, 0), LEVEL),
  deflate: (bytes = 8 * MIB) => deflateSync(Buffer.alloc(bytes, 0x20), LEVEL),
  deflateRaw: (bytes = 8 * MIB) => deflateRawSync(Buffer.alloc(bytes, 0), LEVEL),
};
