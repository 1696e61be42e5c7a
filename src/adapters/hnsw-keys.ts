import fs from "node:fs";
import { matchesChunkFilter, type ChunkFilter, type FilterFields } from "../domain/chunk.js";
import type { SourceType } from "../domain/document.js";
import { Interner } from "../index/keyword-arrays.js";
import { decodeKeyTable, encodeKeyTable, type PackedKeys } from "./hnsw-keys-file.js";

/** What the HNSW adapter knows of one live vector besides the graph: its chunk key and the fields filters use. */
export interface KeyedMeta extends FilterFields {
  chunkId: string;
}

/** Distinct filters whose allowed label sets are kept (a handful are live at once: per collection, per product). */
const MAX_FILTERS = 16;

/** Filter fields per label, as string ids (-1: none), in this order. */
const COLLECTION = 0;
const DOCUMENT = 1;
const SOURCE_TYPE = 2;
const PRODUCT = 3;
const LANGUAGE = 4;
const FIELDS = 5;

/**
 * The HNSW adapter's own integer labels (hnswlib needs integers) mapped to chunk keys, with each live vector's filter
 * fields, so filters arrive as data and are evaluated here. Labels are never reused for another chunk: hnswlib keeps
 * a deleted label until its slot is reused, and a fresh label can never alias one it still knows.
 *
 * Stored in columns indexed by label (a key per label, five interned string ids per label in one Int32Array) rather
 * than an object and two map entries per chunk: at 100k chunks the objects cost the index thread ~0.5 KB per chunk
 * of heap and most of its load time. A label retired by a delete keeps its 28 bytes until a rebuild numbers labels
 * afresh (a re-added chunk gets a new label), the price of lookups without a second map.
 */
export class ChunkKeyTable {
  private readonly labels = new Map<string, number>();
  private keys: Array<string | undefined> = [];
  private fields = new Int32Array(0);
  private readonly strings = new Interner();
  private nextLabel = 0;
  /** Bumped on every change: allowed-label sets are valid for one generation. */
  private generation = 0;
  private readonly allowed = new Map<string, { generation: number; labels: Set<number> }>();
  /** The keys as a packed file held them, and the generation they describe. */
  private loaded: { generation: number; packed: PackedKeys } | undefined;

  get size(): number {
    return this.labels.size;
  }

  /** Every label this table ever assigned is below this. */
  get labelBound(): number {
    return this.nextLabel;
  }

  labelOf(chunkId: string): number | undefined {
    return this.labels.get(chunkId);
  }

  keyOf(label: number): string | undefined {
    return this.keys[label];
  }

  /** A new label for `meta.chunkId` (which must not be live). */
  assign(meta: KeyedMeta): number {
    const label = this.nextLabel++;
    this.ensureLabels(this.nextLabel);
    this.labels.set(meta.chunkId, label);
    this.keys[label] = meta.chunkId;
    this.setFields(label, meta);
    this.generation++;
    return label;
  }

  update(label: number, meta: KeyedMeta): void {
    this.setFields(label, meta);
    this.generation++;
  }

  /** Forgets a live chunk; returns its label. */
  delete(chunkId: string): number | undefined {
    const label = this.labels.get(chunkId);
    if (label === undefined) return undefined;
    this.labels.delete(chunkId);
    this.keys[label] = undefined;
    this.generation++;
    return label;
  }

  /** Live chunk keys, in the order their chunks were added. */
  chunkIds(): string[] {
    return [...this.labels.keys()];
  }

  /** Live labels, in the order their chunks were added. */
  liveLabels(): IterableIterator<number> {
    return this.labels.values();
  }

  /** The filter fields of a live label. */
  fieldsOf(label: number): FilterFields {
    const out: FilterFields = { collection: "", documentId: "", sourceType: "manual" };
    this.readFields(label, out);
    return out;
  }

  /** Labels of the live vectors `filter` keeps, cached per filter until the next change. */
  allowedLabels(filter: ChunkFilter): Set<number> {
    const key = JSON.stringify(filter);
    const hit = this.allowed.get(key);
    if (hit && hit.generation === this.generation) return hit.labels;
    const labels = new Set<number>();
    const scratch: FilterFields = { collection: "", documentId: "", sourceType: "manual" };
    for (const label of this.labels.values()) {
      this.readFields(label, scratch);
      if (matchesChunkFilter(scratch, filter)) labels.add(label);
    }
    if (this.allowed.size >= MAX_FILTERS) this.allowed.delete(this.allowed.keys().next().value!);
    this.allowed.set(key, { generation: this.generation, labels });
    return labels;
  }

  /** Writes the table to `file` (the caller renames it into place); only strings live labels use are written. */
  async save(file: string): Promise<void> {
    const strings: string[] = [];
    const index = new Map<number, number>();
    const ref = (id: number): number => {
      if (id < 0) return -1;
      let i = index.get(id);
      if (i === undefined) { i = strings.length; strings.push(this.strings.values[id]!); index.set(id, i); }
      return i;
    };
    const chunkIds: string[] = [];
    const rows = new Int32Array(this.labels.size * 6);
    const f = this.fields;
    let r = 0;
    for (const [chunkId, label] of this.labels) {
      const at = label * FIELDS;
      chunkIds.push(chunkId);
      rows[r++] = label;
      for (let j = 0; j < FIELDS; j++) rows[r++] = ref(f[at + j]!);
    }
    await fs.promises.writeFile(file, encodeKeyTable({ nextLabel: this.nextLabel, strings, chunkIds, rows }));
  }

  /**
   * The live keys packed (see PackedKeys): as the file held them when nothing changed since the load, which spares
   * a cold start building and joining 100k strings.
   */
  packedKeys(): PackedKeys {
    if (this.loaded && this.loaded.generation === this.generation) return this.loaded.packed;
    const keys = this.chunkIds();
    return { text: keys.join(""), lengths: Uint32Array.from(keys, (k) => k.length) };
  }

  /** Reads a table written by `save`; throws when it is malformed (the caller rebuilds the index). */
  static async load(file: string): Promise<ChunkKeyTable> {
    const data = decodeKeyTable(await fs.promises.readFile(file, "utf8"));
    const { chunkIds, nextLabel, rows } = data;
    if (rows.length !== chunkIds.length * 6) throw new Error("chunk key table rows do not match its keys");
    const table = new ChunkKeyTable();
    for (const s of data.strings) table.strings.id(s);
    const strings = table.strings.size;
    if (strings !== data.strings.length) throw new Error("chunk key table strings repeat");
    table.nextLabel = nextLabel;
    table.ensureLabels(nextLabel);
    // Sized up front (holey, not sparse): filling labels out of order would otherwise turn it into a dictionary.
    table.keys = new Array<string | undefined>(nextLabel);
    const { fields, keys, labels } = table;
    // Indexed reads into columns, no per-row objects: at 100k chunks this runs during a serving process's cold start.
    for (let i = 0, r = 0; i < chunkIds.length; i++, r += 6) {
      const label = integerAt(rows, r);
      if (label < 0 || label >= nextLabel || keys[label] !== undefined) throw new Error("chunk key table labels must be distinct and below nextLabel");
      for (let j = 1; j < 6; j++) {
        const ref = integerAt(rows, r + j);
        if (ref < -1 || ref >= strings) throw new Error("chunk key table rows name a string it lacks");
        fields[label * FIELDS + j - 1] = ref;
      }
      const chunkId = chunkIds[i]!;
      if (labels.has(chunkId)) throw new Error(`chunk key table names ${chunkId} twice`);
      labels.set(chunkId, label);
      keys[label] = chunkId;
    }
    if (data.packed) table.loaded = { generation: table.generation, packed: data.packed };
    return table;
  }

  /** Room for labels below `n` (×1.5 growth: one copy per many inserts). */
  private ensureLabels(n: number): void {
    if (n * FIELDS <= this.fields.length) return;
    const grown = new Int32Array(Math.max(n, Math.ceil((this.fields.length / FIELDS) * 1.5)) * FIELDS);
    grown.set(this.fields);
    this.fields = grown;
  }

  private setFields(label: number, meta: FilterFields): void {
    const at = label * FIELDS;
    const f = this.fields;
    f[at + COLLECTION] = this.strings.id(meta.collection);
    f[at + DOCUMENT] = this.strings.id(meta.documentId);
    f[at + SOURCE_TYPE] = this.strings.id(meta.sourceType);
    f[at + PRODUCT] = meta.product === undefined ? -1 : this.strings.id(meta.product);
    f[at + LANGUAGE] = meta.language === undefined ? -1 : this.strings.id(meta.language);
  }

  /** Fills `out` with a label's fields (a missing collection, document or source type reads as the defaults). */
  private readFields(label: number, out: FilterFields): void {
    const at = label * FIELDS;
    const f = this.fields;
    const text = (id: number): string | undefined => (id < 0 ? undefined : this.strings.values[id]);
    out.collection = text(f[at + COLLECTION]!) ?? "";
    out.documentId = text(f[at + DOCUMENT]!) ?? "";
    out.sourceType = (text(f[at + SOURCE_TYPE]!) ?? "manual") as SourceType;
    const product = text(f[at + PRODUCT]!);
    const language = text(f[at + LANGUAGE]!);
    if (product === undefined) delete out.product; else out.product = product;
    if (language === undefined) delete out.language; else out.language = language;
  }
}

/** `rows[i]`, which must be an integer. */
function integerAt(rows: ArrayLike<unknown>, i: number): number {
  const v = rows[i];
  if (typeof v !== "number" || !Number.isInteger(v)) throw new Error("chunk key table rows must be integers");
  return v;
}
