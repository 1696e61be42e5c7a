import fs from "node:fs";
import { z } from "zod";
import { matchesChunkFilter, type ChunkFilter, type FilterFields } from "../domain/chunk.js";
import type { SourceType } from "../domain/document.js";

/** What the HNSW adapter knows of one live vector besides the graph: its chunk key and the fields filters use. */
export interface KeyedMeta extends FilterFields {
  chunkId: string;
}

/** Distinct filters whose allowed label sets are kept (a handful are live at once: per collection, per product). */
const MAX_FILTERS = 16;

const sidecarSchema = z.object({
  version: z.literal(1),
  nextLabel: z.number().int().nonnegative(),
  /** Distinct strings of the filter fields, referenced by index below (few collections, products, documents). */
  strings: z.array(z.string()),
  chunkIds: z.array(z.string()),
  /** Per chunk: label, collection, documentId, sourceType, product (-1: none), language (-1: none) string indexes. */
  // Checked in `load` in one loop: zod's per-element checks of ~600k numbers were a visible share of cold start.
  rows: z.array(z.unknown()),
});

/**
 * The HNSW adapter's own integer labels (hnswlib needs integers) mapped to chunk keys, with each live vector's filter
 * fields, so filters arrive as data and are evaluated here. Labels are never reused for another chunk: hnswlib keeps
 * a deleted label until its slot is reused, and a fresh label can never alias one it still knows.
 */
export class ChunkKeyTable {
  private readonly labels = new Map<string, number>();
  private readonly meta = new Map<number, KeyedMeta>();
  private nextLabel = 0;
  /** Bumped on every change: allowed-label sets are valid for one generation. */
  private generation = 0;
  private readonly allowed = new Map<string, { generation: number; labels: Set<number> }>();

  get size(): number {
    return this.meta.size;
  }

  labelOf(chunkId: string): number | undefined {
    return this.labels.get(chunkId);
  }

  keyOf(label: number): string | undefined {
    return this.meta.get(label)?.chunkId;
  }

  /** A new label for `meta.chunkId` (which must not be live). */
  assign(meta: KeyedMeta): number {
    const label = this.nextLabel++;
    this.labels.set(meta.chunkId, label);
    this.meta.set(label, { ...meta });
    this.generation++;
    return label;
  }

  update(label: number, meta: KeyedMeta): void {
    this.meta.set(label, { ...meta });
    this.generation++;
  }

  /** Forgets a live chunk; returns its label. */
  delete(chunkId: string): number | undefined {
    const label = this.labels.get(chunkId);
    if (label === undefined) return undefined;
    this.labels.delete(chunkId);
    this.meta.delete(label);
    this.generation++;
    return label;
  }

  liveLabels(): IterableIterator<number> {
    return this.meta.keys();
  }

  /** Labels of the live vectors `filter` keeps, cached per filter until the next change. */
  allowedLabels(filter: ChunkFilter): Set<number> {
    const key = JSON.stringify(filter);
    const hit = this.allowed.get(key);
    if (hit && hit.generation === this.generation) return hit.labels;
    const labels = new Set<number>();
    for (const [label, m] of this.meta) if (matchesChunkFilter(m, filter)) labels.add(label);
    if (this.allowed.size >= MAX_FILTERS) this.allowed.delete(this.allowed.keys().next().value!);
    this.allowed.set(key, { generation: this.generation, labels });
    return labels;
  }

  /** Writes the table to `file` (the caller renames it into place). */
  async save(file: string): Promise<void> {
    const strings: string[] = [];
    const index = new Map<string, number>();
    const ref = (s: string | undefined): number => {
      if (s === undefined) return -1;
      let i = index.get(s);
      if (i === undefined) { i = strings.length; strings.push(s); index.set(s, i); }
      return i;
    };
    const chunkIds: string[] = [];
    const rows: number[] = [];
    for (const [label, m] of this.meta) {
      chunkIds.push(m.chunkId);
      rows.push(label, ref(m.collection), ref(m.documentId), ref(m.sourceType), ref(m.product), ref(m.language));
    }
    await fs.promises.writeFile(file, JSON.stringify({ version: 1, nextLabel: this.nextLabel, strings, chunkIds, rows }));
  }

  /** Reads a table written by `save`. */
  static async load(file: string): Promise<ChunkKeyTable> {
    const data = sidecarSchema.parse(JSON.parse(await fs.promises.readFile(file, "utf8")));
    const { strings, chunkIds } = data;
    if (!data.rows.every((v) => Number.isInteger(v))) throw new Error("chunk key table rows must be integers");
    const rows = data.rows as number[];
    if (rows.length !== chunkIds.length * 6) throw new Error("chunk key table rows do not match its keys");
    const table = new ChunkKeyTable();
    // Indexed reads, no per-row arrays: at 100k chunks this runs on the serving thread during cold start.
    for (let i = 0, r = 0; i < chunkIds.length; i++, r += 6) {
      const chunkId = chunkIds[i]!;
      const label = rows[r]!;
      const product = rows[r + 4]! < 0 ? undefined : strings[rows[r + 4]!];
      const language = rows[r + 5]! < 0 ? undefined : strings[rows[r + 5]!];
      table.labels.set(chunkId, label);
      const meta: KeyedMeta = {
        chunkId, collection: (rows[r + 1]! < 0 ? undefined : strings[rows[r + 1]!]) ?? "", documentId: (rows[r + 2]! < 0 ? undefined : strings[rows[r + 2]!]) ?? "",
        sourceType: ((rows[r + 3]! < 0 ? undefined : strings[rows[r + 3]!]) ?? "manual") as SourceType,
      };
      if (product !== undefined) meta.product = product;
      if (language !== undefined) meta.language = language;
      table.meta.set(label, meta);
    }
    table.nextLabel = data.nextLabel;
    return table;
  }
}
