import { readFile, stat } from "node:fs/promises";
import { UnsupportedDocumentError } from "../../src/errors.js";

/** Reads an upload the parse child was handed, refusing one over `maxBytes` before reading it. */
export async function readUploadFile(path: string, fileName: string, maxBytes: number): Promise<Buffer> {
  const info = await stat(path);
  if (info.size > maxBytes) {
    throw new UnsupportedDocumentError(fileName, `file is ${info.size} bytes, over the limit of ${maxBytes} (MAX_FILE_BYTES)`, { status: 413 });
  }
  return readFile(path);
}
