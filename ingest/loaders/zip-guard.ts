import { constants, inflateRawSync } from "node:zlib";
import { UnsupportedDocumentError } from "../../src/errors.js";
import { limitError, type LoaderLimits } from "./limits.js";

/** Most entries a zip-based document (DOCX) may hold: real ones have a few dozen. */
export const MAX_ZIP_ENTRIES = 10_000;
const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** The end-of-central-directory record sits within the last 22 + 65535 (comment) bytes. */
const EOCD_SEARCH = 22 + 0xffff;

/** One entry of a zip's central directory. */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  dataStart: number;
}

/**
 * The entries of a zip archive, read from its central directory, with every entry's inflated size checked BEFORE a
 * library unpacks it: entries are inflated one by one with an output cap (the sizes a zip declares can lie), and as
 * soon as all of them together pass `maxInflatedBytes` the file is refused. A zip bomb (kilobytes that inflate to
 * gigabytes) is so recognised without ever being held whole.
 * @throws UnsupportedDocumentError for a corrupt zip, unsupported compression, ZIP64, too many entries, or the limit
 */
export function checkZip(bytes: Buffer, file: string, limits: LoaderLimits): ZipEntry[] {
  const entries = centralDirectory(bytes, file);
  let total = 0;
  for (const entry of entries) {
    total += inflatedSize(bytes, entry, file, limits.maxInflatedBytes - total + 1);
    if (total > limits.maxInflatedBytes) throw limitError(file, "maxInflatedBytes", limits.maxInflatedBytes, "zip entries inflate to");
  }
  return entries;
}

function corrupt(file: string, why: string): UnsupportedDocumentError {
  return new UnsupportedDocumentError(file, `corrupt DOCX: ${why}`);
}

function centralDirectory(bytes: Buffer, file: string): ZipEntry[] {
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - EOCD_SEARCH); i--) {
    if (bytes.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt(file, "no zip directory");
  const count = bytes.readUInt16LE(eocd + 10);
  const offset = bytes.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) throw new UnsupportedDocumentError(file, "ZIP64 archives are not supported");
  if (count > MAX_ZIP_ENTRIES) throw new UnsupportedDocumentError(file, `zip has ${count} entries, over the limit of ${MAX_ZIP_ENTRIES}`, { status: 422 });
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL) throw corrupt(file, "broken zip directory");
    const nameLength = bytes.readUInt16LE(at + 28);
    const local = bytes.readUInt32LE(at + 42);
    const entry = {
      name: bytes.toString("utf8", at + 46, at + 46 + nameLength),
      method: bytes.readUInt16LE(at + 10),
      compressedSize: bytes.readUInt32LE(at + 20),
      dataStart: localDataStart(bytes, local, file),
    };
    if (entry.compressedSize === 0xffffffff) throw new UnsupportedDocumentError(file, "ZIP64 archives are not supported");
    entries.push(entry);
    at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return entries;
}

function localDataStart(bytes: Buffer, at: number, file: string): number {
  if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== LOCAL) throw corrupt(file, "broken zip entry");
  return at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
}

function inflatedSize(bytes: Buffer, entry: ZipEntry, file: string, budget: number): number {
  const data = bytes.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
  if (entry.method === 0) return data.length;
  if (entry.method !== 8) throw new UnsupportedDocumentError(file, `zip entry compressed with method ${entry.method} (only stored and deflate are supported)`);
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, budget), finishFlush: constants.Z_SYNC_FLUSH }).length;
  } catch (err) {
    // Over the budget: report one byte more than allowed so the caller sees the limit passed.
    if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") return budget;
    throw corrupt(file, "a zip entry does not inflate");
  }
}
