import type { SourceType } from "../domain/document.js";
import type { KeywordDoc } from "../ports/keyword-index.js";
import { scriptFamily } from "../text/language.js";
import { Interner, grow, growInt32 } from "./keyword-arrays.js";
import { compactSlots } from "./keyword-compact.js";
import { SCRIPT_CLASSES, scriptClassOf } from "./keyword-groups.js";
import { ChunkSequences } from "./keyword-sequences.js";

/** Term frequencies are packed per posting: weighted-field (title) count in the high 16 bits, body count in the low. */
export const TF_MAX = 0xffff;

const EMPTY_SLOTS = new Int32Array(0);
const EMPTY_TF = new Uint32Array(0);

/** Per-half maximum of two packed (title << 16 | body) counts. */
export function maxPacked(a: number, b: number): number {
  return ((Math.max(a >>> 16, b >>> 16) << 16) | Math.max(a & 0xffff, b & 0xffff)) >>> 0;
}

/** Source types as small ints (the filter compares ints, not strings); the order is part of the snapshot format. */
export const SOURCE_TYPES: readonly SourceType[] = ["manual", "ticket", "curated"];

/**
 * The inverted index's data, all in typed arrays: no object per posting or per chunk beyond its key string.
 *
 * - A chunk lives in a *slot* (0..slots-1, appended in arrival order). Upserting a known key tombstones its old slot
 *   and appends a new one, so every posting list stays sorted by slot; `compact()` renumbers live slots (order kept)
 *   once tombstones pile up.
 * - Term `t`'s postings are `slotsOf(t)[0..postLen[t])` with packed frequencies in `tfsOf(t)` (grown ×1.5); a
 *   store loaded from a snapshot makes a term's views into the snapshot's arrays when the term is first used.
 * - A forward index (`fwd`, slot i's unique term ids at `fwdStart[i]..fwdStart[i+1]`) keeps deletes O(terms of the
 *   chunk): the live document frequency `liveDf[t]` is decremented without scanning posting lists.
 * - Per-slot metadata (collection, source type, product, language, document, field lengths) are interned ints, so
 *   filters are evaluated as array lookups.
 * - Statistics (df, chunk and token counts) are kept per *group*: a collection and the script class of the chunk's
 *   language (`groupOf`), so that a query's statistics can cover some collections and, within them, one script family
 *   (see `keywordStats`). A single-language collection has one group, and costs what it did per collection.
 */
export class KeywordStore {
  terms = new Interner();
  collections = new Interner();
  documents = new Interner();
  products = new Interner();
  languages = new Interner();

  /** Per term its postings; undefined for a term of `loaded` not used yet (read them through slotsOf, tfsOf). */
  postSlots: Array<Int32Array | undefined> = [];
  postTf: Array<Uint32Array | undefined> = [];
  /** A snapshot's posting lists, concatenated, and each term's start in them: 57k views at 100k chunks, made lazily. */
  loaded: { slots: Int32Array; tf: Uint32Array; start: Int32Array } | undefined;
  postLen: Int32Array = new Int32Array(16);
  /** Live chunks containing each term (all collections). */
  liveDf: Int32Array = new Int32Array(16);
  /**
   * Per term, the largest title count (high 16 bits) and body count (low 16) any of its postings ever had: never
   * lowered on delete, so always an upper bound (what search's pruning needs).
   */
  maxTf: Uint32Array = new Uint32Array(16);

  slots = 0;
  dead = 0;
  chunkIds: Array<string | undefined> = [];
  readonly slotOf = new Map<string, number>();
  alive: Uint8Array = new Uint8Array(16);
  collection: Int32Array = new Int32Array(16);
  sourceType: Uint8Array = new Uint8Array(16);
  product: Int32Array = new Int32Array(16);
  language: Int32Array = new Int32Array(16);
  document: Int32Array = new Int32Array(16);
  titleLen: Int32Array = new Int32Array(16);
  bodyLen: Int32Array = new Int32Array(16);
  fwdStart: Int32Array = new Int32Array(17);
  fwd: Int32Array = new Int32Array(64);
  /** Per slot its term sequence, position and section path: re-ranking's terms without a store read. */
  seqs = new ChunkSequences();

  /** Scratch of `countTerms`: packed frequency per term id (all zero between docs), and the doc's unique term ids. */
  private docTf: Uint32Array = new Uint32Array(1024);
  private docTerms: Int32Array = new Int32Array(256);
  /** Scratch of `countTerms`: the doc's term ids in order. */
  private docSeq: Int32Array = new Int32Array(256);

  /**
   * Per group id (`groupOf`), live chunks containing each term (indexed by term id, as long as the largest id seen in
   * that group): scoped df in O(groups covered) per term. Costs 4 bytes × vocabulary per group.
   */
  groupDf: Int32Array[] = [];

  /** Per group id: live chunks and token totals per field. */
  groupChunks: Float64Array = new Float64Array(4);
  groupTitleTokens: Float64Array = new Float64Array(4);
  groupBodyTokens: Float64Array = new Float64Array(4);

  /** Script class per language id (filled on first use; a snapshot restores the languages but not this). */
  private readonly languageClass: number[] = [];

  /** The statistics group of `slot`: its collection × the script class of its language. */
  groupOf(slot: number): number {
    return this.collection[slot]! * SCRIPT_CLASSES + this.classOfLanguage(this.language[slot]!);
  }

  /** The script class of language id `id` (-1: none). */
  private classOfLanguage(id: number): number {
    if (id < 0) return 0;
    return (this.languageClass[id] ??= scriptClassOf(scriptFamily(this.languages.values[id]!)));
  }

  get size(): number {
    return this.slots - this.dead;
  }

  /** Term t's posting slots (ascending; valid up to postLen[t]), and their packed frequencies (tfsOf). */
  slotsOf(t: number): Int32Array {
    return this.postSlots[t] ?? this.viewOf(t).slots;
  }
  tfsOf(t: number): Uint32Array {
    return this.postTf[t] ?? this.viewOf(t).tf;
  }

  private viewOf(t: number): { slots: Int32Array; tf: Uint32Array } {
    const { slots, tf, start } = this.loaded!;
    const view = { slots: slots.subarray(start[t]!, start[t + 1]!), tf: tf.subarray(start[t]!, start[t + 1]!) };
    this.postSlots[t] = view.slots;
    this.postTf[t] = view.tf;
    return view;
  }

  /** Inserts or replaces each doc (a later duplicate key in `docs` wins). */
  upsert(docs: readonly KeywordDoc[]): void {
    // Checked for the whole batch first, so a bad doc changes nothing; a value the snapshot loader would reject must
    // never get in (every restart would then rebuild).
    for (const doc of docs) {
      if (!SOURCE_TYPES.includes(doc.sourceType)) throw new RangeError(`unknown source type '${doc.sourceType}' of chunk ${doc.chunkId}`);
    }
    for (const doc of docs) {
      this.removeOne(doc.chunkId);
      this.append(doc);
    }
    this.maybeCompact();
  }

  /** Removes the chunks with these keys (unknown keys ignored); returns how many were removed. */
  remove(chunkIds: readonly string[]): number {
    let n = 0;
    for (const id of chunkIds) if (this.removeOne(id)) n++;
    this.maybeCompact();
    return n;
  }

  private append(doc: KeywordDoc): void {
    const sourceType = SOURCE_TYPES.indexOf(doc.sourceType);
    const slot = this.slots;
    this.ensureSlots(slot + 1);
    const unique = this.countTerms(doc);
    const coll = this.collections.id(doc.collection);
    this.chunkIds[slot] = doc.chunkId;
    this.slotOf.set(doc.chunkId, slot);
    this.alive[slot] = 1;
    this.collection[slot] = coll;
    this.sourceType[slot] = sourceType;
    this.product[slot] = doc.product === undefined ? -1 : this.products.id(doc.product);
    this.language[slot] = doc.language === undefined ? -1 : this.languages.id(doc.language);
    this.document[slot] = this.documents.id(doc.documentId);
    this.titleLen[slot] = doc.titleTokens.length;
    this.bodyLen[slot] = doc.bodyTokens.length;
    const group = this.groupOf(slot);
    this.ensureGroups(group + 1);
    this.seqs.append(slot, doc, this.docSeq, this.docTerms, unique, this.docTf.length);
    const start = this.fwdStart[slot]!;
    this.fwd = growInt32(this.fwd, start + unique);
    const { docTerms, docTf } = this;
    const df = this.groupDfFor(group, this.terms.size);
    for (let i = 0; i < unique; i++) {
      const term = docTerms[i]!;
      df[term]! += 1;
      this.fwd[start + i] = term;
      this.addPosting(term, slot, docTf[term]!);
      docTf[term] = 0;
    }
    this.fwdStart[slot + 1] = start + unique;
    this.slots = slot + 1;
    this.groupChunks[group]! += 1;
    this.groupTitleTokens[group]! += doc.titleTokens.length;
    this.groupBodyTokens[group]! += doc.bodyTokens.length;
  }

  /** The df array of group `group`, grown to hold term ids below `terms`. */
  groupDfFor(group: number, terms: number): Int32Array {
    while (this.groupDf.length <= group) this.groupDf.push(new Int32Array(0));
    const df = growInt32(this.groupDf[group]!, terms);
    this.groupDf[group] = df;
    return df;
  }

  /**
   * Packed frequencies of the doc's terms into the scratch `docTf` (indexed by term id, zero between docs) and its
   * unique term ids into `docTerms`; returns how many. Each 16-bit half saturates at TF_MAX.
   */
  private countTerms(doc: KeywordDoc): number {
    this.docTerms = growInt32(this.docTerms, doc.titleTokens.length + doc.bodyTokens.length);
    this.docSeq = growInt32(this.docSeq, doc.titleTokens.length + doc.bodyTokens.length);
    let unique = 0;
    let n = 0;
    for (let field = 0; field < 2; field++) {
      const tokens = field === 0 ? doc.titleTokens : doc.bodyTokens;
      const shift = field === 0 ? 16 : 0;
      for (const token of tokens) {
        const id = this.terms.id(token);
        this.docSeq[n++] = id;
        if (id >= this.docTf.length) this.docTf = grow(this.docTf, Math.max(id + 1, this.docTf.length * 2), Uint32Array);
        const packed = this.docTf[id]!;
        if (packed === 0) this.docTerms[unique++] = id;
        if (((packed >>> shift) & 0xffff) < TF_MAX) this.docTf[id] = packed + (1 << shift);
      }
    }
    return unique;
  }

  private addPosting(term: number, slot: number, packed: number): void {
    if (term >= this.postSlots.length) {
      this.postLen = growInt32(this.postLen, term + 1);
      this.liveDf = growInt32(this.liveDf, term + 1);
      if (term >= this.maxTf.length) this.maxTf = grow(this.maxTf, Math.max(term + 1, Math.ceil(this.maxTf.length * 1.5)), Uint32Array);
      while (this.postSlots.length <= term) {
        this.postSlots.push(EMPTY_SLOTS);
        this.postTf.push(EMPTY_TF);
      }
    }
    const n = this.postLen[term]!;
    let slots = this.slotsOf(term);
    let tfs = this.tfsOf(term);
    if (n === slots.length) {
      // ×2 while short (most terms stay short), ×1.25 once long (bounds the slack of the big lists).
      const cap = n < 4 ? 4 : n < 4096 ? n * 2 : Math.ceil(n * 1.25);
      this.postSlots[term] = slots = grow(slots, cap, Int32Array);
      this.postTf[term] = tfs = grow(tfs, cap, Uint32Array);
    }
    slots[n] = slot;
    tfs[n] = packed;
    this.postLen[term] = n + 1;
    this.liveDf[term]! += 1;
    this.maxTf[term] = maxPacked(this.maxTf[term]!, packed);
  }

  private removeOne(chunkId: string): boolean {
    const slot = this.slotOf.get(chunkId);
    if (slot === undefined) return false;
    this.slotOf.delete(chunkId);
    this.chunkIds[slot] = undefined;
    this.alive[slot] = 0;
    this.dead++;
    const group = this.groupOf(slot);
    const df = this.groupDf[group]!;
    for (let j = this.fwdStart[slot]!; j < this.fwdStart[slot + 1]!; j++) {
      const term = this.fwd[j]!;
      this.liveDf[term]! -= 1;
      df[term]! -= 1;
    }
    this.groupChunks[group]! -= 1;
    this.groupTitleTokens[group]! -= this.titleLen[slot]!;
    this.groupBodyTokens[group]! -= this.bodyLen[slot]!;
    return true;
  }

  /** Compacts once tombstones are over a quarter of the slots (amortised O(1) per delete). */
  private maybeCompact(): void {
    if (this.dead > 1024 && this.dead * 4 > this.slots) this.compact();
  }

  /** Drops tombstoned slots and renumbers the live ones in order: posting lists stay sorted, scores unchanged. */
  compact(): void {
    compactSlots(this);
  }

  private ensureSlots(n: number): void {
    if (n <= this.alive.length) return;
    const cap = Math.max(n, Math.ceil(this.alive.length * 1.5));
    this.alive = grow(this.alive, cap, Uint8Array);
    this.collection = grow(this.collection, cap, Int32Array);
    this.sourceType = grow(this.sourceType, cap, Uint8Array);
    this.product = grow(this.product, cap, Int32Array);
    this.language = grow(this.language, cap, Int32Array);
    this.document = grow(this.document, cap, Int32Array);
    this.titleLen = grow(this.titleLen, cap, Int32Array);
    this.bodyLen = grow(this.bodyLen, cap, Int32Array);
    this.fwdStart = grow(this.fwdStart, cap + 1, Int32Array);
    this.seqs.ensure(cap);
  }

  private ensureGroups(n: number): void {
    if (n <= this.groupChunks.length) return;
    const cap = Math.max(n, this.groupChunks.length * 2);
    this.groupChunks = grow(this.groupChunks, cap, Float64Array);
    this.groupTitleTokens = grow(this.groupTitleTokens, cap, Float64Array);
    this.groupBodyTokens = grow(this.groupBodyTokens, cap, Float64Array);
  }
}
