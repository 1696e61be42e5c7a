import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { DocumentStore } from "../ports/document-store.js";
import type { VectorIndex, VectorIndexFactory } from "../ports/vector-index.js";

/**
 * Keeps an in-memory HNSW index current with the store, which is the source of truth. At open it loads the
 * last saved index file and replays the change log from the sequence number saved with it (the manifest), so any
 * process sharing DATA_DIR (API, CLI, workers) sees every committed write, and a crash loses nothing: a missing,
 * stale or foreign index file is simply rebuilt from the stored vectors.
 */
const manifestSchema = z.object({
  version: z.literal(1),
  seq: z.number().int().nonnegative(),
  embedderId: z.string(),
  dimensions: z.number().int().positive(),
  count: z.number().int().nonnegative(),
  savedAt: z.string(),
});
type Manifest = z.infer<typeof manifestSchema>;

const INDEX_FILE = "vectors.hnsw";
const MANIFEST_FILE = "vectors.manifest.json";
const BATCH = 2000;

export interface VectorCacheOptions {
  dir: string;
  embedderId: string;
  dimensions: number;
  /** Start empty without reading stored vectors (they belong to another embedder until `rebuild`). */
  deferLoad?: boolean;
}

export class VectorCache {
  private seq = 0;
  private unsaved = 0;
  private syncing: Promise<number> | undefined;

  private constructor(
    private readonly store: DocumentStore,
    private readonly factory: VectorIndexFactory,
    private readonly options: VectorCacheOptions,
    private index: VectorIndex,
  ) {}

  /** Loads the saved index when its manifest matches this store and embedder, then catches up. */
  static async open(store: DocumentStore, factory: VectorIndexFactory, options: VectorCacheOptions): Promise<VectorCache> {
    if (options.deferLoad) {
      const cache = new VectorCache(store, factory, options, factory.create(options.dimensions));
      cache.seq = store.lastSeq();
      return cache;
    }
    const manifest = await readManifest(options.dir);
    const usable =
      manifest !== undefined &&
      manifest.embedderId === options.embedderId &&
      manifest.dimensions === options.dimensions &&
      manifest.seq <= store.lastSeq() &&
      existsSync(join(options.dir, INDEX_FILE));
    let index: VectorIndex | undefined;
    if (usable) {
      index = await factory.load(join(options.dir, INDEX_FILE), options.dimensions).catch(() => undefined);
    }
    const cache = new VectorCache(store, factory, options, index ?? factory.create(options.dimensions));
    if (index && manifest) cache.seq = manifest.seq;
    else cache.rebuild();
    await cache.catchUp();
    return cache;
  }

  get vectors(): VectorIndex {
    return this.index;
  }

  /** Whether changes were applied since the index file was last written. */
  get dirty(): boolean {
    return this.unsaved > 0;
  }

  /** Change-log position this index reflects. */
  get position(): number {
    return this.seq;
  }

  /**
   * Applies change-log entries written since the last call (by this or any other process), at most `maxChanges`
   * (a slice, so a long catch-up can let the caller's event loop run in between). Returns how many.
   */
  async catchUp(maxChanges = Number.POSITIVE_INFINITY): Promise<number> {
    while (this.syncing) await this.syncing.catch(() => undefined);
    this.syncing = Promise.resolve().then(() => this.applyChanges(maxChanges));
    try {
      return await this.syncing;
    } finally {
      this.syncing = undefined;
    }
  }

  /** Writes the index and then its manifest; both via temp file + rename so a crash leaves a usable pair. */
  async save(): Promise<void> {
    await mkdir(this.options.dir, { recursive: true });
    const seq = this.seq;
    await this.index.save(join(this.options.dir, INDEX_FILE));
    const manifest: Manifest = {
      version: 1,
      seq,
      embedderId: this.options.embedderId,
      dimensions: this.options.dimensions,
      count: this.index.size,
      savedAt: new Date().toISOString(),
    };
    const tmp = join(this.options.dir, `${MANIFEST_FILE}.${process.pid}.tmp`);
    await writeFile(tmp, JSON.stringify(manifest, null, 2));
    await rename(tmp, join(this.options.dir, MANIFEST_FILE));
    this.unsaved = 0;
  }

  /** Saves when enough changes accumulated since the last save (keeps start-up replay short). */
  async saveIfDirty(threshold: number): Promise<void> {
    if (this.unsaved >= threshold) await this.save();
  }

  /** Drops the in-memory index and rebuilds it from every stored vector. */
  rebuild(): void {
    this.index = this.factory.create(this.options.dimensions);
    this.seq = this.store.lastSeq();
    const labels = this.store.allLabels();
    for (let i = 0; i < labels.length; i += BATCH) {
      const vectors = this.store.getVectors(labels.slice(i, i + BATCH));
      this.index.add([...vectors].map(([label, vector]) => ({ label, vector })));
    }
    this.unsaved = labels.length;
  }

  private applyChanges(maxChanges: number): number {
    let applied = 0;
    while (applied < maxChanges) {
      const changes = this.store.changesSince(this.seq, Math.min(BATCH, maxChanges - applied));
      if (changes.length === 0) return applied;
      const last = new Map<number, "add" | "delete">();
      for (const c of changes) last.set(c.label, c.op);
      const adds: number[] = [];
      const deletes: number[] = [];
      for (const [label, op] of last) (op === "add" ? adds : deletes).push(label);
      this.index.remove(deletes);
      const vectors = this.store.getVectors(adds);
      this.index.add([...vectors].map(([label, vector]) => ({ label, vector })));
      this.seq = changes[changes.length - 1]!.seq;
      applied += changes.length;
      this.unsaved += changes.length;
    }
    return applied;
  }
}

async function readManifest(dir: string): Promise<Manifest | undefined> {
  try {
    return manifestSchema.parse(JSON.parse(await readFile(join(dir, MANIFEST_FILE), "utf8")));
  } catch {
    return undefined;
  }
}
