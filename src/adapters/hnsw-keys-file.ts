// The key table file beside an HNSW index file (see hnsw-keys.ts), in two formats:
// - version 1: `{ version, nextLabel, strings, chunkIds: string[], rows: number[] }` (read only: files saved before);
// - version 2: the same, with the chunk keys as one string plus their lengths and the rows as little-endian base64
//   typed arrays, so a load parses four strings instead of ~700k array elements (at 100k chunks, JSON.parse and its
//   garbage were most of the HNSW thread's load time, which a cold start waits for).

/** Chunk keys as one string and each key's length (UTF-16 units), in table order. */
export interface PackedKeys {
  text: string;
  lengths: Uint32Array;
}

/** A key table as stored: per chunk (in table order) its key and six integers (label, five string indexes). */
export interface StoredKeyTable {
  nextLabel: number;
  /** Distinct strings of the filter fields (few collections, products, documents). */
  strings: readonly string[];
  chunkIds: readonly string[];
  /** Label, collection, documentId, sourceType, product (-1: none), language (-1: none) per chunk; checked by the reader. */
  rows: ArrayLike<unknown>;
  /** The keys as stored, when the file held them packed. */
  packed?: PackedKeys;
}

/** The version 2 text of a table. */
export function encodeKeyTable(table: { nextLabel: number; strings: readonly string[]; chunkIds: readonly string[]; rows: Int32Array }): string {
  const lengths = Uint32Array.from(table.chunkIds, (k) => k.length);
  return JSON.stringify({
    version: 2, nextLabel: table.nextLabel, strings: table.strings, keys: table.chunkIds.join(""), keyLengths: base64(lengths), rows: base64(table.rows),
  });
}

/** Parses either version; throws saying what is malformed (the caller rebuilds the index). */
export function decodeKeyTable(text: string): StoredKeyTable {
  const data = JSON.parse(text) as Record<string, unknown> | null;
  if (typeof data !== "object" || data === null || (data.version !== 1 && data.version !== 2)) throw new Error("not a chunk key table (version 1 or 2)");
  const { nextLabel, strings } = data;
  if (typeof nextLabel !== "number" || !Number.isInteger(nextLabel) || nextLabel < 0) throw new Error("chunk key table nextLabel must be a non-negative integer");
  if (!isStrings(strings)) throw new Error("chunk key table strings must be strings");
  if (data.version === 1) {
    if (!isStrings(data.chunkIds)) throw new Error("chunk key table keys must be strings");
    if (!Array.isArray(data.rows)) throw new Error("chunk key table rows must be an array");
    return { nextLabel, strings, chunkIds: data.chunkIds, rows: data.rows as unknown[] };
  }
  if (typeof data.keys !== "string" || typeof data.keyLengths !== "string" || typeof data.rows !== "string") throw new Error("chunk key table fields of version 2 missing");
  const packed = { text: data.keys, lengths: new Uint32Array(fromBase64(data.keyLengths)) };
  return { nextLabel, strings, chunkIds: unpack(packed), rows: new Int32Array(fromBase64(data.rows)), packed };
}

/** The keys of a packed list; throws when the lengths do not add up to the text. */
export function unpack(packed: PackedKeys): string[] {
  const out = new Array<string>(packed.lengths.length);
  let at = 0;
  for (let i = 0; i < out.length; i++) {
    const end = at + packed.lengths[i]!;
    out[i] = packed.text.slice(at, end);
    at = end;
  }
  if (at !== packed.text.length) throw new Error("chunk key table key lengths do not match its keys");
  return out;
}

function isStrings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === "string");
}

function base64(a: Uint32Array | Int32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");
}

/** The bytes of a base64 string as a fresh 4-byte-aligned buffer (a whole number of 32-bit values). */
function fromBase64(text: string): ArrayBuffer {
  const bytes = Buffer.from(text, "base64");
  if (bytes.byteLength % 4 !== 0) throw new Error("chunk key table arrays must hold 32-bit values");
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
