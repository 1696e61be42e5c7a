import { randomUUID } from "node:crypto";
import { open, readFile, rename, rm } from "node:fs/promises";
import { internerOf } from "./keyword-arrays.js";
import { decodeSnapshot, encodeSnapshot, SnapshotError, type DecodedBody, type SnapshotMeta } from "./keyword-codec.js";
import { KeywordStore, SOURCE_TYPES } from "./keyword-store.js";

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
  const [collection, product, language, document, titleLen, bodyLen, position, sectionPathAt, sectionPathLen] = d.slotInts as [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array];
  const fail = (what: string): never => { throw new SnapshotError(`corrupt snapshot: ${what}`); };
  if (d.slotInts.some((a) => a.length !== n) || d.sourceType.length !== n || d.fwdStart.length !== n + 1 || d.termSeqStart.length !== n + 1) fail("per-chunk array lengths");
  const s = new KeywordStore();
  Object.assign(s, { terms, collections, documents, products, languages });
  s.chunkIds = chunkIds;
  let lastPathAt = 0;
  for (let i = 0; i < n; i++) {
    s.slotOf.set(chunkIds[i]!, i);
    if (!inRange(collection[i]!, 0, collections.size) || !inRange(document[i]!, 0, documents.size)) fail("collection or document id");
    if (!inRange(product[i]!, -1, products.size) || !inRange(language[i]!, -1, languages.size)) fail("product or language id");
    if (d.sourceType[i]! >= SOURCE_TYPES.length || titleLen[i]! < 0 || bodyLen[i]! < 0) fail("source type or field length");
    if (d.fwdStart[i + 1]! < d.fwdStart[i]!) fail("forward index offsets");
    // A sequence's bytes are checked when decoded (chunk-terms-memory.ts): a bad one falls back to a store read.
    if (d.termSeqStart[i + 1]! < d.termSeqStart[i]! || (position[i]! < 0) !== (sectionPathAt[i]! < 0)) fail("term sequence offsets");
    if (position[i]! < -1 || sectionPathAt[i]! < -1 || sectionPathLen[i]! < 0 || sectionPathAt[i]! + sectionPathLen[i]! > d.sectionPathBytes.length) fail("position or section path");
    // Compaction moves section paths downwards: their offsets must not decrease from slot to slot.
    if (sectionPathAt[i]! >= 0 && sectionPathAt[i]! < lastPathAt) fail("section path offsets");
    if (sectionPathAt[i]! >= 0) lastPathAt = sectionPathAt[i]!;
  }
  if (s.slotOf.size !== n) fail("duplicate chunk keys");
  if (d.fwdStart[0] !== 0 || d.fwdStart[n] !== d.fwd.length) fail("forward index offsets");
  if (d.termSeqStart[0] !== 0 || d.termSeqStart[n] !== d.termSeq.length) fail("term sequence offsets");
  if (!allInRange(d.fwd, terms.size)) fail("forward index term id");
  if (d.postLen.length !== terms.size) fail("posting list count");
  Object.assign(s, {
    slots: n, dead: 0, alive: new Uint8Array(n).fill(1), collection, product, language, document, titleLen, bodyLen,
    sourceType: d.sourceType, fwdStart: d.fwdStart, fwd: d.fwd, postLen: d.postLen, liveDf: d.postLen.slice(),
  });
  Object.assign(s.seqs, {
    termSeqStart: d.termSeqStart, termSeq: d.termSeq, position, sectionPathAt, sectionPathLen, sectionPathBytes: d.sectionPathBytes,
    sectionPathUsed: d.sectionPathBytes.length,
  });
  restorePostings(s, d, fail);
  restoreGroupStats(s, d, terms.size);
  return s;
}

/**
 * Per statistics group (collection × script class, see `KeywordStore.groupOf`): live chunks, token totals and df.
 * One group (the common case) takes df from the posting list lengths (a compacted snapshot has one posting per chunk
 * and term); several count the forward index.
 */
function restoreGroupStats(s: KeywordStore, d: DecodedBody, terms: number): void {
  const n = s.slots;
  const group = new Int32Array(n);
  let groups = 0;
  for (let i = 0; i < n; i++) groups = Math.max(groups, (group[i] = s.groupOf(i)) + 1);
  s.groupChunks = new Float64Array(Math.max(4, groups));
  s.groupTitleTokens = new Float64Array(s.groupChunks.length);
  s.groupBodyTokens = new Float64Array(s.groupChunks.length);
  const { titleLen, bodyLen, fwdStart, fwd } = s;
  for (let i = 0; i < n; i++) {
    const g = group[i]!;
    s.groupChunks[g]! += 1;
    s.groupTitleTokens[g]! += titleLen[i]!;
    s.groupBodyTokens[g]! += bodyLen[i]!;
  }
  if (n > 0 && s.groupChunks[group[0]!] === n) {
    s.groupDfFor(group[0]!, terms).set(d.postLen);
    return;
  }
  for (let i = 0; i < n; i++) {
    const df = s.groupDfFor(group[i]!, terms);
    for (let j = fwdStart[i]!, end = fwdStart[i + 1]!; j < end; j++) df[fwd[j]!]! += 1;
  }
}

/** Whether every element is in [0, end) (a tight loop: the forward index holds millions of ids). */
function allInRange(a: Int32Array, end: number): boolean {
  let min = 0;
  let max = -1;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min >= 0 && max < end;
}

/**
 * Posting lists kept in the snapshot's arrays (a term's views made on first use, copied only when a list grows);
 * slots ascending and in range.
 */
function restorePostings(s: KeywordStore, d: DecodedBody, fail: (what: string) => never): void {
  const { postLen, postSlots, postTf } = d;
  const slots = s.slots;
  const total = postSlots.length;
  if (postTf.length !== total) fail("posting list lengths");
  s.maxTf = new Uint32Array(postLen.length);
  const start = new Int32Array(postLen.length + 1);
  let at = 0;
  // Tight loops over the 6 M postings of 100k chunks: this runs on the serving thread during cold start.
  for (let t = 0; t < postLen.length; t++) {
    const len = postLen[t]!;
    const end = at + len;
    if (len < 0 || end > total) fail("posting list lengths");
    let prev = -1;
    let title = 0;
    let body = 0;
    for (let i = at; i < end; i++) {
      const slot = postSlots[i]!;
      if (slot <= prev) fail("posting slots");
      prev = slot;
      const tf = postTf[i]!;
      if (tf >>> 16 > title) title = tf >>> 16;
      if ((tf & 0xffff) > body) body = tf & 0xffff;
    }
    if (prev >= slots) fail("posting slots");
    s.maxTf[t] = ((title << 16) | body) >>> 0;
    at = end;
    start[t + 1] = at;
  }
  if (at !== total) fail("posting list lengths");
  // Holey, not empty: a term id below its length is a known term (see addPosting).
  s.postSlots = new Array<Int32Array | undefined>(postLen.length);
  s.postTf = new Array<Uint32Array | undefined>(postLen.length);
  s.loaded = { slots: postSlots, tf: postTf, start };
}

function inRange(v: number, min: number, end: number): boolean {
  return v >= min && v < end;
}
