import { randomUUID } from "node:crypto";
import { open, readFile, rename, rm } from "node:fs/promises";
import { internerOf } from "./keyword-arrays.js";
import { decodeSnapshot, encodeSnapshot, SnapshotError, type DecodedBody, type SnapshotMeta } from "./keyword-codec.js";
import { KeywordStore, maxPacked, SOURCE_TYPES } from "./keyword-store.js";

/**
 * Writes `store` (compacted first) to `file` atomically: a uniquely named temp file in the same directory, fsynced,
 * then renamed over `file`, so readers see the old snapshot or the new one, never a partial one.
 */
export async function writeKeywordSnapshot(file: string, store: KeywordStore, meta: SnapshotMeta): Promise<number> {
  store.compact();
  const parts = encodeSnapshot(store, meta);
  const temp = `${file}.${randomUUID()}.tmp`;
  const handle = await open(temp, "w");
  let bytes = 0;
  try {
    for (let i = 0; i < parts.length; i += 512) {
      const { bytesWritten } = await handle.writev(parts.slice(i, i + 512));
      bytes += bytesWritten;
    }
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(temp, { force: true });
    throw err;
  }
  await handle.close();
  await rename(temp, file);
  return bytes;
}

export type SnapshotRead = { ok: true; store: KeywordStore; seq: number } | { ok: false; reason: string };

/** Loads a snapshot; a missing, foreign, corrupt or other-version file is `ok: false` with the reason (rebuild). */
export async function readKeywordSnapshot(file: string, pipeline: string): Promise<SnapshotRead> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    return { ok: false, reason: (err as NodeJS.ErrnoException).code === "ENOENT" ? "no snapshot" : (err as Error).message };
  }
  try {
    const body = decodeSnapshot(bytes, pipeline);
    return { ok: true, store: restoreStore(body), seq: body.seq };
  } catch (err) {
    if (err instanceof SnapshotError || err instanceof TypeError || err instanceof RangeError) return { ok: false, reason: err.message };
    throw err;
  }
}

/** Rebuilds a store from a decoded body, checking every id and offset (a checksum only proves what the writer wrote). */
export function restoreStore(d: DecodedBody): KeywordStore {
  const [terms, collections, documents, products, languages] = [0, 2, 3, 4, 5].map((i) => internerOf(d.tables[i]!));
  if (!terms || !collections || !documents || !products || !languages) throw new SnapshotError("duplicate entries in a snapshot table");
  const chunkIds = d.tables[1]!;
  const n = chunkIds.length;
  const [collection, product, language, document, titleLen, bodyLen] = d.slotInts as [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array];
  const fail = (what: string): never => { throw new SnapshotError(`corrupt snapshot: ${what}`); };
  if (d.slotInts.some((a) => a.length !== n) || d.sourceType.length !== n || d.fwdStart.length !== n + 1) fail("per-chunk array lengths");
  const s = new KeywordStore();
  Object.assign(s, { terms, collections, documents, products, languages });
  s.chunkIds = chunkIds;
  for (let i = 0; i < n; i++) {
    s.slotOf.set(chunkIds[i]!, i);
    if (!inRange(collection[i]!, 0, collections.size) || !inRange(document[i]!, 0, documents.size)) fail("collection or document id");
    if (!inRange(product[i]!, -1, products.size) || !inRange(language[i]!, -1, languages.size)) fail("product or language id");
    if (d.sourceType[i]! >= SOURCE_TYPES.length || titleLen[i]! < 0 || bodyLen[i]! < 0) fail("source type or field length");
    if (d.fwdStart[i + 1]! < d.fwdStart[i]!) fail("forward index offsets");
  }
  if (s.slotOf.size !== n) fail("duplicate chunk keys");
  if (d.fwdStart[0] !== 0 || d.fwdStart[n] !== d.fwd.length) fail("forward index offsets");
  for (const t of d.fwd) if (!inRange(t, 0, terms.size)) fail("forward index term id");
  if (d.postLen.length !== terms.size) fail("posting list count");
  Object.assign(s, {
    slots: n, dead: 0, alive: new Uint8Array(n).fill(1), collection, product, language, document, titleLen, bodyLen,
    sourceType: d.sourceType, fwdStart: d.fwdStart, fwd: d.fwd, postLen: d.postLen, liveDf: d.postLen.slice(),
  });
  restorePostings(s, d, fail);
  s.collChunks = new Float64Array(Math.max(4, collections.size));
  s.collTitleTokens = new Float64Array(s.collChunks.length);
  s.collBodyTokens = new Float64Array(s.collChunks.length);
  for (let i = 0; i < n; i++) {
    const c = collection[i]!;
    const df = s.collDfFor(c, terms.size);
    for (let j = d.fwdStart[i]!; j < d.fwdStart[i + 1]!; j++) df[d.fwd[j]!]! += 1;
    s.collChunks[c]! += 1;
    s.collTitleTokens[c]! += titleLen[i]!;
    s.collBodyTokens[c]! += bodyLen[i]!;
  }
  return s;
}

/** Posting lists as views into the snapshot's arrays (copied only when a list grows); slots ascending and in range. */
function restorePostings(s: KeywordStore, d: DecodedBody, fail: (what: string) => never): void {
  let at = 0;
  s.maxTf = new Uint32Array(d.postLen.length);
  for (let t = 0; t < d.postLen.length; t++) {
    const len = d.postLen[t]!;
    if (len < 0 || at + len > d.postSlots.length) fail("posting list lengths");
    const slots = d.postSlots.subarray(at, at + len);
    for (let i = 0; i < len; i++) if (!inRange(slots[i]!, i === 0 ? 0 : slots[i - 1]! + 1, s.slots)) fail("posting slots");
    s.postSlots.push(slots);
    const tfs = d.postTf.subarray(at, at + len);
    s.postTf.push(tfs);
    let max = 0;
    for (let i = 0; i < len; i++) max = maxPacked(max, tfs[i]!);
    s.maxTf[t] = max;
    at += len;
  }
  if (at !== d.postSlots.length || d.postTf.length !== at) fail("posting list lengths");
}

function inRange(v: number, min: number, end: number): boolean {
  return v >= min && v < end;
}
