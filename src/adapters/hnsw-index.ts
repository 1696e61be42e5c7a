import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import hnswlib from "hnswlib-node";
import { AppError, InvalidInputError, errorMessage } from "../errors.js";
import { isConstraining, type ChunkFilter } from "../domain/chunk.js";
import { compareHits, type MutableVectorIndex, type VectorEntry, type VectorHit, type VectorIndexFactory } from "../ports/vector-index.js";
import { ChunkKeyTable } from "./hnsw-keys.js";
import type { PackedKeys } from "./hnsw-keys-file.js";

const { HierarchicalNSW } = hnswlib;
type Native = InstanceType<typeof HierarchicalNSW>;

export interface HnswOptions {
  /** Graph degree (default 16). */
  m?: number;
  /** Candidate list size while inserting (default 100): higher is better recall and slower inserts. */
  efConstruction?: number;
  /** Candidate list size while searching (default 64); raised to k when k is larger. */
  efSearch?: number;
  /** Slots allocated up front (default 1024); the index doubles when full. */
  initialCapacity?: number;
}

const DEFAULTS = { m: 16, efConstruction: 100, efSearch: 64, initialCapacity: 1024 };

/** The vector index file could not be read (missing, corrupt, other dimensions): rebuild it from the store. */
export class VectorIndexLoadError extends AppError {
  constructor(file: string, options: { cause?: unknown }) {
    super("vector-index-load", 500, `cannot load vector index ${file}: ${errorMessage(options.cause)}`, { cause: options.cause, details: { file } });
  }
}

/**
 * A filter keeping at most this many vectors, and under a quarter of the index, is searched exactly (brute force)
 * instead of through the graph: a graph walk that rejects most nodes it visits is slow and can miss allowed ones,
 * while a filter keeping most of the index loses little in the graph and would make brute force the slower side.
 */
export const EXACT_SEARCH_LIMIT = 2048;

/** The key table saved beside an index file. */
export function keyTableFile(indexFile: string): string {
  return `${indexFile}.keys.json`;
}

/**
 * HNSW (hnswlib-node, cosine space) keyed by chunk keys. hnswlib needs integer labels: the adapter assigns its own
 * (`ChunkKeyTable`, saved beside the index file) and keeps each vector's filter fields, so a `ChunkFilter` is
 * evaluated here as data. A filter that keeps few vectors (see EXACT_SEARCH_LIMIT) is searched exactly: the graph
 * walk would visit mostly rejected nodes and can miss allowed ones. Deleted slots are reused by later inserts
 * (`allowReplaceDeleted`); a re-added chunk always gets a fresh label, so no two graph nodes share one.
 */
export class HnswIndex implements MutableVectorIndex {
  /**
   * hnswlib-node accepts only plain arrays: one reused array per index instead of `Array.from` per vector spares an
   * allocation (and its garbage) per insert during bulk ingest.
   */
  private readonly point: number[];

  private constructor(
    readonly dimensions: number,
    private readonly native: Native,
    private readonly efSearch: number,
    private readonly keys: ChunkKeyTable,
  ) {
    this.point = new Array<number>(dimensions).fill(0);
  }

  static create(dimensions: number, options: HnswOptions = {}): HnswIndex {
    const o = withDefaults(options);
    assertDimensions(dimensions);
    const native = new HierarchicalNSW("cosine", dimensions);
    native.initIndex({ maxElements: Math.max(1, o.initialCapacity), m: o.m, efConstruction: o.efConstruction, allowReplaceDeleted: true });
    return new HnswIndex(dimensions, native, o.efSearch, new ChunkKeyTable());
  }

  /** Reads an index written by `save` with its key table; every live label must be in the graph. */
  static async load(file: string, dimensions: number, options: HnswOptions = {}): Promise<HnswIndex> {
    assertDimensions(dimensions);
    const native = new HierarchicalNSW("cosine", dimensions);
    let keys: ChunkKeyTable;
    try {
      const stored = await storedDimensions(file);
      if (stored !== dimensions) throw new Error(`it holds ${stored}-dimensional vectors, expected ${dimensions}`);
      // hnswlib reads its file on a libuv thread while the key table is parsed here: a cold start waits for the
      // slower of the two instead of their sum. (allSettled: neither may be left running when the other fails.)
      const [graph, table] = await Promise.allSettled([native.readIndex(file, true), ChunkKeyTable.load(keyTableFile(file))]);
      if (graph.status === "rejected") throw graph.reason;
      if (table.status === "rejected") throw table.reason;
      keys = table.value;
      assertLabelsInGraph(keys, native.getIdsList());
    } catch (err) {
      throw new VectorIndexLoadError(file, { cause: err });
    }
    return new HnswIndex(dimensions, native, withDefaults(options).efSearch, keys);
  }

  get size(): number {
    return this.keys.size;
  }

  /** Current slot capacity (grows by doubling). */
  get capacity(): number {
    return this.native.getMaxElements();
  }

  has(chunkId: string): boolean {
    return this.keys.labelOf(chunkId) !== undefined;
  }

  /** Every live chunk key. */
  chunkIds(): string[] {
    return this.keys.chunkIds();
  }

  /** Every live chunk key, packed (what the index thread hands the serving thread after a load). */
  packedKeys(): PackedKeys {
    return this.keys.packedKeys();
  }

  add(items: readonly VectorEntry[]): void {
    for (const { chunkId, vector } of items) {
      if (vector.length !== this.dimensions) {
        throw new InvalidInputError(`vector for chunk ${chunkId} has ${vector.length} dimensions, expected ${this.dimensions}`);
      }
    }
    this.ensureCapacity(new Set(items.filter((i) => !this.has(i.chunkId)).map((i) => i.chunkId)).size);
    for (const { vector, ...meta } of items) {
      const live = this.keys.labelOf(meta.chunkId);
      if (live !== undefined) {
        // replaceDeleted=false updates the existing node in place; true could move the label into a free slot.
        this.native.addPoint(this.toPoint(vector), live, false);
        this.keys.update(live, meta);
      } else {
        this.native.addPoint(this.toPoint(vector), this.keys.assign(meta), true);
      }
    }
  }

  private toPoint(vector: Float32Array): number[] {
    const point = this.point;
    for (let i = 0; i < point.length; i++) point[i] = vector[i]!;
    return point;
  }

  /** Makes room for `incoming` new vectors: free (deleted) slots first, then doubling. */
  private ensureCapacity(incoming: number): void {
    const used = this.native.getCurrentCount();
    const freeDeleted = used - this.keys.size;
    let max = this.native.getMaxElements();
    if (incoming <= freeDeleted + (max - used)) return;
    while (incoming > freeDeleted + (max - used)) max *= 2;
    this.native.resizeIndex(max);
  }

  remove(chunkIds: readonly string[]): void {
    for (const chunkId of chunkIds) {
      const label = this.keys.delete(chunkId);
      if (label !== undefined) this.native.markDelete(label);
    }
  }

  async search(query: Float32Array, k: number, filter?: ChunkFilter): Promise<VectorHit[]> {
    if (query.length !== this.dimensions) throw new InvalidInputError(`query has ${query.length} dimensions, expected ${this.dimensions}`);
    const kept = isConstraining(filter) ? this.keys.allowedLabels(filter!) : undefined;
    // A filter keeping every vector (a customer filter over a corpus without tickets) is no filter: hnswlib would
    // call back into JavaScript for every node it visits, for the same result.
    const allowed = kept && kept.size < this.keys.size ? kept : undefined;
    const n = Math.min(Math.floor(k), allowed?.size ?? this.keys.size);
    if (n <= 0) return [];
    if (allowed && allowed.size <= EXACT_SEARCH_LIMIT && allowed.size * 4 < this.keys.size) return this.exact(query, n, allowed);
    this.native.setEf(Math.max(this.efSearch, n));
    const { distances, neighbors } = this.native.searchKnn(this.toPoint(query), n, allowed ? (label: number) => allowed.has(label) : undefined);
    return neighbors.flatMap((label, i) => {
      const chunkId = this.keys.keyOf(label);
      return chunkId === undefined ? [] : [{ chunkId, similarity: 1 - (distances[i] ?? 1) }];
    });
  }

  /** Cosine against every allowed vector (hnswlib stores cosine-space vectors normalised). */
  private exact(query: Float32Array, k: number, labels: ReadonlySet<number>): VectorHit[] {
    let norm = 0;
    for (let i = 0; i < query.length; i++) norm += query[i]! * query[i]!;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    const scored: VectorHit[] = [];
    for (const label of labels) {
      const v = this.native.getPoint(label);
      let dot = 0;
      for (let i = 0; i < v.length; i++) dot += v[i]! * query[i]!;
      scored.push({ chunkId: this.keys.keyOf(label)!, similarity: dot * scale });
    }
    return scored.sort(compareHits).slice(0, k);
  }

  /**
   * Writes the index and its key table to temp files and renames them (key table first), so a crash never leaves a
   * half-written index under `file`. Temp names are unique per process and per save: two saves sharing one name (the
   * change-log follower and a job, or two processes over one DATA_DIR) renamed each other's file away.
   */
  async save(file: string): Promise<void> {
    const suffix = `${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
    const tmp = `${file}.${suffix}`;
    const keysTmp = `${keyTableFile(file)}.${suffix}`;
    await fs.promises.mkdir(path.dirname(path.resolve(file)), { recursive: true });
    try {
      await this.keys.save(keysTmp);
      await this.native.writeIndex(tmp);
      await fs.promises.rename(keysTmp, keyTableFile(file));
      await fs.promises.rename(tmp, file);
    } catch (err) {
      await fs.promises.rm(tmp, { force: true });
      await fs.promises.rm(keysTmp, { force: true });
      throw err;
    }
  }
}

/**
 * Every live label of the key table must name a graph node (a table and graph from different saves do not). Marked
 * in a byte per label below the table's next label (labels are dense): a set of 100k numbers cost a cold start more.
 */
function assertLabelsInGraph(keys: ChunkKeyTable, graphLabels: readonly number[]): void {
  const inGraph = new Uint8Array(keys.labelBound);
  for (const label of graphLabels) if (label < inGraph.length) inGraph[label] = 1;
  for (const label of keys.liveLabels()) if (inGraph[label] !== 1) throw new Error(`its key table names label ${label}, which the graph lacks`);
}

/**
 * Vector size recorded in an hnswlib index file. hnswlib itself would happily load a file of other dimensions and
 * misread it; its header starts with six size_t fields, the 5th (label offset) minus the 6th (data offset) being
 * the bytes of one vector.
 */
async function storedDimensions(file: string): Promise<number> {
  const fh = await fs.promises.open(file, "r");
  try {
    const header = Buffer.alloc(48);
    const { bytesRead } = await fh.read(header, 0, 48, 0);
    if (bytesRead < 48) throw new Error("file too short to be an HNSW index");
    const dataBytes = Number(header.readBigUInt64LE(32) - header.readBigUInt64LE(40));
    return dataBytes / 4;
  } finally {
    await fh.close();
  }
}

/** Explicitly undefined options (unset config values) fall back to the defaults too. */
function withDefaults(o: HnswOptions): Required<HnswOptions> {
  return {
    m: o.m ?? DEFAULTS.m,
    efConstruction: o.efConstruction ?? DEFAULTS.efConstruction,
    efSearch: o.efSearch ?? DEFAULTS.efSearch,
    initialCapacity: o.initialCapacity ?? DEFAULTS.initialCapacity,
  };
}

function assertDimensions(dimensions: number): void {
  if (!Number.isInteger(dimensions) || dimensions <= 0) throw new InvalidInputError(`invalid vector dimensions ${dimensions}`);
}

/** Factory with the given HNSW parameters (e.g. from config). */
export function createHnswIndexFactory(options: HnswOptions = {}): VectorIndexFactory {
  return {
    create: (dimensions) => HnswIndex.create(dimensions, options),
    load: (file, dimensions) => HnswIndex.load(file, dimensions, options),
  };
}

/** Factory with the default parameters (M=16, efConstruction=100, efSearch=64). */
export const hnswIndexFactory: VectorIndexFactory = createHnswIndexFactory();
