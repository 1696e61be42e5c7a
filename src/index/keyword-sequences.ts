import type { KeywordDoc } from "../ports/keyword-index.js";
import { grow } from "./keyword-arrays.js";

const TEXT_ENCODER = new TextEncoder();

/**
 * What the keyword store keeps of each slot beyond what search needs, so re-ranking reads a candidate's terms from
 * memory instead of the store (see `chunk-terms-memory.ts`); all in typed arrays:
 *
 * - the chunk's whole term sequence (title then body, `titleLen` + `bodyLen` terms), each term as a LEB128 index into
 *   the slot's own unique terms (`fwd`, first-seen order), at `termSeqStart[i]..termSeqStart[i+1]`: ~1 byte a term;
 * - its position in its document (-1 when its doc came without one: then nothing is kept);
 * - its section path (JSON, UTF-8) at `sectionPathAt[i]` (length `sectionPathLen[i]`) in `sectionPathBytes`. Chunks of
 *   one section arrive one after another and share one copy: one byte array rather than ~88k strings and a map at
 *   100k chunks (~0.1 KB per chunk less).
 */
export class ChunkSequences {
  termSeqStart: Int32Array = new Int32Array(17);
  termSeq: Uint8Array = new Uint8Array(256);
  position: Int32Array = new Int32Array(16);
  sectionPathAt: Int32Array = new Int32Array(16);
  sectionPathLen: Int32Array = new Int32Array(16);
  sectionPathBytes: Uint8Array = new Uint8Array(256);
  /** Bytes of `sectionPathBytes` in use (offsets never decrease from slot to slot). */
  sectionPathUsed = 0;
  /** The last section path appended, and where (a following chunk of the same section shares its bytes). */
  private lastSectionPath: { json: string; at: number; len: number } | undefined;
  /** Scratch: each term id's index among the doc's unique terms. */
  private local: Int32Array = new Int32Array(1024);

  /** Room for `cap` slots. */
  ensure(cap: number): void {
    this.termSeqStart = grow(this.termSeqStart, cap + 1, Int32Array);
    this.position = grow(this.position, cap, Int32Array);
    this.sectionPathAt = grow(this.sectionPathAt, cap, Int32Array);
    this.sectionPathLen = grow(this.sectionPathLen, cap, Int32Array);
  }

  /**
   * Keeps slot `slot`'s sequence (`docSeq`: its term ids in order; `docTerms`: its `unique` term ids in first-seen
   * order, as `fwd` keeps them; every id below `vocabulary`), position and section path; a doc without position and
   * section path keeps none.
   */
  append(slot: number, doc: KeywordDoc, docSeq: Int32Array, docTerms: Int32Array, unique: number, vocabulary: number): void {
    let at = this.termSeqStart[slot]!;
    const kept = doc.position !== undefined && doc.sectionPath !== undefined;
    this.position[slot] = kept ? doc.position! : -1;
    this.appendSectionPath(slot, kept ? JSON.stringify(doc.sectionPath) : undefined);
    if (kept) {
      if (this.local.length < vocabulary) this.local = new Int32Array(Math.max(vocabulary, this.local.length * 2));
      const local = this.local;
      for (let i = 0; i < unique; i++) local[docTerms[i]!] = i;
      const n = doc.titleTokens.length + doc.bodyTokens.length;
      // At most 5 bytes a term (LEB128 of a 32-bit index); grown ×1.5 for amortised O(1) appends.
      if (at + 5 * n > this.termSeq.length) this.termSeq = grow(this.termSeq, Math.max(at + 5 * n, Math.ceil(this.termSeq.length * 1.5)), Uint8Array);
      const seq = this.termSeq;
      for (let i = 0; i < n; i++) {
        let v = local[docSeq[i]!]!;
        while (v >= 0x80) { seq[at++] = (v & 0x7f) | 0x80; v >>>= 7; }
        seq[at++] = v;
      }
    }
    this.termSeqStart[slot + 1] = at;
  }

  private appendSectionPath(slot: number, json: string | undefined): void {
    if (json === undefined) {
      this.sectionPathAt[slot] = -1;
      this.sectionPathLen[slot] = 0;
      return;
    }
    let last = this.lastSectionPath;
    if (last?.json !== json) {
      const at = this.sectionPathUsed;
      const bytes = TEXT_ENCODER.encode(json);
      if (at + bytes.length > this.sectionPathBytes.length) {
        this.sectionPathBytes = grow(this.sectionPathBytes, Math.max(at + bytes.length, Math.ceil(this.sectionPathBytes.length * 1.5)), Uint8Array);
      }
      this.sectionPathBytes.set(bytes, at);
      this.sectionPathUsed = at + bytes.length;
      last = this.lastSectionPath = { json, at, len: bytes.length };
    }
    this.sectionPathAt[slot] = last.at;
    this.sectionPathLen[slot] = last.len;
  }

  /** Drops the slots not `alive` (of the first `slots`) and renumbers the others in order, as the store's compaction does. */
  compact(alive: Uint8Array, slots: number): void {
    let live = 0;
    let seqOut = 0;
    let pathOut = 0;
    let prevPathAt = -1;
    for (let s = 0; s < slots; s++) {
      if (alive[s] === 0) continue;
      const seqFrom = this.termSeqStart[s]!;
      const seqTo = this.termSeqStart[s + 1]!;
      this.termSeqStart[live] = seqOut;
      this.termSeq.copyWithin(seqOut, seqFrom, seqTo);
      seqOut += seqTo - seqFrom;
      this.position[live] = this.position[s]!;
      const pathAt = this.sectionPathAt[s]!;
      pathOut = this.movePath(s, live, pathOut, prevPathAt);
      prevPathAt = pathAt;
      live++;
    }
    this.termSeqStart[live] = seqOut;
    this.sectionPathUsed = pathOut;
    this.lastSectionPath = undefined;
  }

  /**
   * Moves slot `from`'s section path bytes down to `out`, or shares the bytes of the slot moved just before it when
   * both had the same (`prevAt`: that slot's old offset); returns the new end. Offsets never decrease from slot to
   * slot, so copies only go downwards.
   */
  private movePath(from: number, to: number, out: number, prevAt: number): number {
    const at = this.sectionPathAt[from]!;
    const len = this.sectionPathLen[from]!;
    this.sectionPathLen[to] = len;
    if (at < 0) {
      this.sectionPathAt[to] = -1;
      return out;
    }
    if (at === prevAt && to > 0) {
      this.sectionPathAt[to] = this.sectionPathAt[to - 1]!;
      return out;
    }
    this.sectionPathBytes.copyWithin(out, at, at + len);
    this.sectionPathAt[to] = out;
    return out + len;
  }
}
