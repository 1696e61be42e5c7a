import { crc32 } from "node:zlib";
import type { KeywordStore } from "./keyword-store.js";

/**
 * Binary snapshot of a compacted KeywordStore. Little-endian; every array starts on an 8-byte boundary so the loader
 * can view posting lists in place (no copy) until they grow.
 *
 *   header  "GLKWIDX\0" | u32 format | u32 header bytes | f64 seq | f64 body bytes | u32 crc32(body) + 28 zero bytes |
 *           u32 pipeline bytes | pipeline UTF-8 | pad to 8
 *   body    arrays, each as u32 element count + u32 0 + elements + pad to 8, in the order of `encodeBody`
 */
export const SNAPSHOT_MAGIC = "GLKWIDX\0";
/**
 * Format 2 checks the body with CRC-32 instead of format 1's SHA-256: the checksum catches torn or corrupted files
 * (anyone able to write DATA_DIR could write a valid SHA-256 too), and at 100k chunks SHA-256 of the 82 MB body was
 * ~40% of the snapshot's load CPU, CRC-32 (zlib, SIMD) about a third of that. A format 1 file is rebuilt once.
 * Format 3 adds each chunk's term sequence, position and section path (re-ranking's terms from memory); a format 2
 * file is rebuilt once.
 */
export const SNAPSHOT_FORMAT = 3;
const FIXED_HEADER = 68;

export interface SnapshotMeta {
  /** Analyzer/pipeline version the terms were produced with: a snapshot of another version is rejected. */
  pipeline: string;
  /** Last change-log sequence number applied to the index. */
  seq: number;
}

/** The parts of a snapshot file, in order (header first); `store` must be compacted (no tombstones). */
export function encodeSnapshot(store: KeywordStore, meta: SnapshotMeta): Uint8Array[] {
  if (store.dead !== 0) throw new Error("encodeSnapshot: compact the store first");
  const body = new BodyWriter();
  encodeBody(store, body);
  let crc = 0;
  // An empty view over an empty buffer makes zlib.crc32 return 0 (node 20): empty parts add nothing anyway.
  for (const p of body.parts) if (p.byteLength > 0) crc = crc32(p, crc);
  const pipeline = new TextEncoder().encode(meta.pipeline);
  const headerBytes = pad8(FIXED_HEADER + pipeline.length);
  const header = new Uint8Array(headerBytes);
  const view = new DataView(header.buffer);
  header.set(new TextEncoder().encode(SNAPSHOT_MAGIC), 0);
  view.setUint32(8, SNAPSHOT_FORMAT, true);
  view.setUint32(12, headerBytes, true);
  view.setFloat64(16, meta.seq, true);
  view.setFloat64(24, body.bytes, true);
  view.setUint32(32, crc, true);
  view.setUint32(64, pipeline.length, true);
  header.set(pipeline, FIXED_HEADER);
  return [header, ...body.parts];
}

function encodeBody(store: KeywordStore, out: BodyWriter): void {
  const n = store.slots;
  const tables: Array<readonly string[]> = [
    store.terms.values, store.chunkIds as string[], store.collections.values, store.documents.values, store.products.values, store.languages.values,
  ];
  for (const table of tables) out.strings(table.slice(0, table === store.chunkIds ? n : table.length));
  // Copies, not views: the parts are written after awaits, and the live arrays may be compacted meanwhile.
  for (const a of [store.collection, store.product, store.language, store.document, store.titleLen, store.bodyLen, store.seqs.position, store.seqs.sectionPathAt, store.seqs.sectionPathLen]) out.array(a.slice(0, n));
  out.array(store.sourceType.slice(0, n));
  out.array(store.fwdStart.slice(0, n + 1));
  out.array(store.fwd.slice(0, store.fwdStart[n]!));
  const { seqs } = store;
  out.array(seqs.termSeqStart.slice(0, n + 1));
  out.array(seqs.termSeq.slice(0, seqs.termSeqStart[n]!));
  out.array(seqs.sectionPathBytes.slice(0, seqs.sectionPathUsed));
  const terms = store.terms.size;
  const lengths = store.postLen.slice(0, terms);
  out.array(lengths);
  let total = 0;
  for (const len of lengths) total += len;
  const slots = new Int32Array(total);
  const tfs = new Uint32Array(total);
  let at = 0;
  for (let t = 0; t < terms; t++) {
    const len = lengths[t]!;
    slots.set(store.slotsOf(t).subarray(0, len), at);
    tfs.set(store.tfsOf(t).subarray(0, len), at);
    at += len;
  }
  out.array(slots);
  out.array(tfs);
}

/** The raw arrays of a snapshot body, before validation (see keyword-snapshot.ts). */
export interface DecodedBody {
  seq: number;
  tables: string[][];
  slotInts: Int32Array[];
  sourceType: Uint8Array;
  fwdStart: Int32Array;
  fwd: Int32Array;
  termSeqStart: Int32Array;
  termSeq: Uint8Array;
  sectionPathBytes: Uint8Array;
  postLen: Int32Array;
  postSlots: Int32Array;
  postTf: Uint32Array;
}

/** Checks header, version, pipeline and checksum, then splits the body; throws `SnapshotError` saying why not. */
export function decodeSnapshot(bytes: Uint8Array, pipeline: string): DecodedBody {
  if (bytes.byteOffset % 8 !== 0) bytes = bytes.slice();
  if (bytes.length < FIXED_HEADER || new TextDecoder().decode(bytes.subarray(0, 8)) !== SNAPSHOT_MAGIC) throw new SnapshotError("not a keyword index snapshot");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const format = view.getUint32(8, true);
  if (format !== SNAPSHOT_FORMAT) throw new SnapshotError(`snapshot format ${format}, expected ${SNAPSHOT_FORMAT}`);
  const headerBytes = view.getUint32(12, true);
  const pipelineBytes = view.getUint32(64, true);
  if (headerBytes !== pad8(FIXED_HEADER + pipelineBytes) || headerBytes > bytes.length) throw new SnapshotError("corrupt snapshot header");
  const stored = new TextDecoder().decode(bytes.subarray(FIXED_HEADER, FIXED_HEADER + pipelineBytes));
  if (stored !== pipeline) throw new SnapshotError(`snapshot of pipeline '${stored}', expected '${pipeline}'`);
  const seq = view.getFloat64(16, true);
  const bodyBytes = view.getFloat64(24, true);
  if (!Number.isSafeInteger(seq) || seq < 0 || bodyBytes !== bytes.length - headerBytes) throw new SnapshotError("corrupt snapshot header (truncated?)");
  const body = bytes.subarray(headerBytes);
  if (crc32(body) !== view.getUint32(32, true) || bytes.subarray(36, 64).some((b) => b !== 0)) throw new SnapshotError("snapshot checksum mismatch");
  const r = new BodyReader(body);
  const tables = Array.from({ length: 6 }, () => r.strings());
  const slotInts = Array.from({ length: 9 }, () => r.array(Int32Array));
  return {
    seq, tables, slotInts, sourceType: r.array(Uint8Array), fwdStart: r.array(Int32Array), fwd: r.array(Int32Array),
    termSeqStart: r.array(Int32Array), termSeq: r.array(Uint8Array),
    sectionPathBytes: r.array(Uint8Array), postLen: r.array(Int32Array), postSlots: r.array(Int32Array), postTf: r.array(Uint32Array), ...r.end(),
  };
}

/** Why a snapshot cannot be used (the caller rebuilds from the change log). */
export class SnapshotError extends Error {}

function pad8(n: number): number {
  return (n + 7) & ~7;
}

type Elements = Int32Array | Uint32Array | Uint8Array;

class BodyWriter {
  readonly parts: Uint8Array[] = [];
  bytes = 0;

  array(a: Elements): void {
    const head = new Uint8Array(8);
    new DataView(head.buffer).setUint32(0, a.length, true);
    this.push(head);
    this.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    const rest = pad8(a.byteLength) - a.byteLength;
    if (rest > 0) this.push(new Uint8Array(rest));
  }

  /** UTF-16 lengths, then the UTF-8 of the concatenation (one encode, one decode: no per-string buffers). */
  strings(values: readonly string[]): void {
    this.array(Uint32Array.from(values, (v) => v.length));
    this.array(new TextEncoder().encode(values.join("")));
  }

  private push(p: Uint8Array): void {
    this.parts.push(p);
    this.bytes += p.length;
  }
}

class BodyReader {
  private at = 0;
  constructor(private readonly body: Uint8Array) {}

  array<T extends Elements>(ctor: { new (b: ArrayBufferLike, o: number, n: number): T; BYTES_PER_ELEMENT: number }): T {
    if (this.at + 8 > this.body.length) throw new SnapshotError("truncated snapshot body");
    const n = new DataView(this.body.buffer, this.body.byteOffset + this.at, 8).getUint32(0, true);
    const bytes = n * ctor.BYTES_PER_ELEMENT;
    if (this.at + 8 + bytes > this.body.length) throw new SnapshotError("truncated snapshot body");
    const out = new ctor(this.body.buffer, this.body.byteOffset + this.at + 8, n);
    this.at += 8 + pad8(bytes);
    return out;
  }

  strings(): string[] {
    const lengths = this.array(Uint32Array);
    const text = new TextDecoder("utf-8", { fatal: true }).decode(this.array(Uint8Array));
    const out = new Array<string>(lengths.length);
    let at = 0;
    for (let i = 0; i < lengths.length; i++) {
      out[i] = text.slice(at, at + lengths[i]!);
      at += lengths[i]!;
    }
    if (at !== text.length) throw new SnapshotError("corrupt string table");
    return out;
  }

  end(): Record<string, never> {
    if (this.at !== this.body.length) throw new SnapshotError("trailing bytes in snapshot body");
    return {};
  }
}
