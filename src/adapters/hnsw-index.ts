import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import hnswlib from "hnswlib-node";
import { AppError, InvalidInputError, errorMessage } from "../errors.js";
import type { VectorHit, VectorIndex, VectorIndexFactory } from "../ports/vector-index.js";

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
 * HNSW (hnswlib-node, cosine space) keyed by the store's chunk labels. Deleted slots are reused by later inserts
 * (`allowReplaceDeleted`). hnswlib keeps a deleted label in its lookup table until its slot is reused, which the
 * adapter tracks in `deleted` so that re-adding such a label revives its own slot: adding a label that hnswlib still
 * knows into a *different* free slot would leave two graph nodes with one label.
 */
export class HnswIndex implements VectorIndex {
  private readonly live = new Set<number>();
  /** Labels whose slot is marked deleted (possibly already reused by another label). */
  private readonly deleted = new Set<number>();
  /**
   * hnswlib-node accepts only plain arrays: one reused array per index instead of `Array.from` per vector spares an
   * allocation (and its garbage) per insert during bulk ingest.
   */
  private readonly point: number[];

  private constructor(
    readonly dimensions: number,
    private readonly native: Native,
    private readonly efSearch: number,
  ) {
    this.point = new Array<number>(dimensions).fill(0);
  }

  static create(dimensions: number, options: HnswOptions = {}): HnswIndex {
    const o = withDefaults(options);
    assertDimensions(dimensions);
    const native = new HierarchicalNSW("cosine", dimensions);
    native.initIndex({ maxElements: Math.max(1, o.initialCapacity), m: o.m, efConstruction: o.efConstruction, allowReplaceDeleted: true });
    return new HnswIndex(dimensions, native, o.efSearch);
  }

  /** Reads an index written by `save`, restoring which labels are live and which deleted. */
  static async load(file: string, dimensions: number, options: HnswOptions = {}): Promise<HnswIndex> {
    assertDimensions(dimensions);
    const native = new HierarchicalNSW("cosine", dimensions);
    try {
      const stored = await storedDimensions(file);
      if (stored !== dimensions) throw new Error(`it holds ${stored}-dimensional vectors, expected ${dimensions}`);
      await native.readIndex(file, true);
    } catch (err) {
      throw new VectorIndexLoadError(file, { cause: err });
    }
    const index = new HnswIndex(dimensions, native, withDefaults(options).efSearch);
    index.restoreLabelSets();
    return index;
  }

  /**
   * `getIdsList` includes deleted labels and hnswlib exposes no "is deleted" query; `getPoint` would tell but copies
   * every vector into JS (seconds for 100k). markDelete throws on an already deleted label and is exactly undone by
   * unmarkDelete, so probing with the pair classifies each label in about a microsecond.
   */
  private restoreLabelSets(): void {
    for (const label of this.native.getIdsList()) {
      try {
        this.native.markDelete(label);
      } catch {
        this.deleted.add(label);
        continue;
      }
      this.native.unmarkDelete(label);
      this.live.add(label);
    }
  }

  get size(): number {
    return this.live.size;
  }

  /** Current slot capacity (grows by doubling). */
  get capacity(): number {
    return this.native.getMaxElements();
  }

  has(label: number): boolean {
    return this.live.has(label);
  }

  add(items: ReadonlyArray<{ label: number; vector: Float32Array }>): void {
    for (const { label, vector } of items) {
      if (!Number.isInteger(label) || label < 0 || label > 0xffffffff) throw new InvalidInputError(`invalid vector label ${label}`);
      if (vector.length !== this.dimensions) {
        throw new InvalidInputError(`vector for label ${label} has ${vector.length} dimensions, expected ${this.dimensions}`);
      }
    }
    this.ensureCapacity(new Set(items.filter((i) => !this.live.has(i.label)).map((i) => i.label)).size);
    for (const { label, vector } of items) this.addOne(label, this.toPoint(vector));
  }

  private toPoint(vector: Float32Array): number[] {
    const point = this.point;
    for (let i = 0; i < point.length; i++) point[i] = vector[i]!;
    return point;
  }

  private addOne(label: number, point: number[]): void {
    if (this.live.has(label)) {
      // replaceDeleted=false updates the existing node in place; true could move the label into a free slot.
      this.native.addPoint(point, label, false);
      return;
    }
    if (this.deleted.delete(label)) {
      try {
        this.native.unmarkDelete(label);
        this.native.addPoint(point, label, false);
        this.live.add(label);
        return;
      } catch {
        // Its slot was reused by another label: hnswlib forgot it, so it is a fresh insert.
      }
    }
    this.native.addPoint(point, label, true);
    this.live.add(label);
  }

  /** Makes room for `incoming` labels that need a slot: free (deleted) slots first, then doubling. */
  private ensureCapacity(incoming: number): void {
    const used = this.native.getCurrentCount();
    const freeDeleted = used - this.live.size;
    let max = this.native.getMaxElements();
    if (incoming <= freeDeleted + (max - used)) return;
    while (incoming > freeDeleted + (max - used)) max *= 2;
    this.native.resizeIndex(max);
  }

  remove(labels: readonly number[]): void {
    for (const label of labels) {
      if (!this.live.delete(label)) continue;
      this.native.markDelete(label);
      this.deleted.add(label);
    }
  }

  search(query: Float32Array, k: number, filter?: (label: number) => boolean): VectorHit[] {
    if (query.length !== this.dimensions) throw new InvalidInputError(`query has ${query.length} dimensions, expected ${this.dimensions}`);
    const n = Math.min(Math.floor(k), this.live.size);
    if (n <= 0) return [];
    this.native.setEf(Math.max(this.efSearch, n));
    const { distances, neighbors } = this.native.searchKnn(this.toPoint(query), n, filter);
    return neighbors.map((label, i) => ({ label, similarity: 1 - (distances[i] ?? 1) }));
  }

  /**
   * Writes to a temp file and renames, so a crash never leaves a half-written index under `file`. The temp name is
   * unique per process and per save: two saves sharing one name (the change-log follower and a job, or two
   * processes over one DATA_DIR) renamed each other's file away and failed with ENOENT.
   */
  async save(file: string): Promise<void> {
    const tmp = `${file}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
    await fs.promises.mkdir(path.dirname(path.resolve(file)), { recursive: true });
    try {
      await this.native.writeIndex(tmp);
      await fs.promises.rename(tmp, file);
    } catch (err) {
      await fs.promises.rm(tmp, { force: true });
      throw err;
    }
  }
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
