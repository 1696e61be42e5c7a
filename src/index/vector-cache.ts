import { randomUUID } from "node:crypto";
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { ChangeLog } from "../ports/change-log.js";
import type { DocumentRepository } from "../ports/document-repository.js";
import type { IndexSync } from "../ports/index-sync.js";
import type { MutableVectorIndex, VectorIndex, VectorIndexFactory } from "../ports/vector-index.js";

/**
 * Keeps an in-memory HNSW index current with the store, which is the source of truth. At open it loads the
 * last saved index file and replays the change log from the sequence number saved with it (the manifest), so any
 * process sharing DATA_DIR (API, CLI, workers) sees every committed write, and a crash loses nothing: a missing,
 * stale, foreign or mismatched index file is simply rebuilt from the stored vectors.
 *
 * Several processes may save into one DATA_DIR at once. Each save writes its own uniquely named index file and
 * then atomically replaces the manifest, which names that file with its size and vector count: the manifest
 * rename is the one commit point, so a manifest can never be paired with another save's index file.
 */
const manifestSchema = z.object({
  /** Version 3: indexes keyed by chunk id (with a key table beside the index file); older ones are rebuilt. */
  version: z.literal(3),
  seq: z.number().int().nonnegative(),
  embedderId: z.string(),
  dimensions: z.number().int().positive(),
  count: z.number().int().nonnegative(),
  /** Index file in the same directory. */
  file: z.string().regex(/^vectors[\w.-]*\.hnsw$/),
  /** Size of that file in bytes. */
  bytes: z.number().int().nonnegative(),
  savedAt: z.string(),
});
type Manifest = z.infer<typeof manifestSchema>;

const LEGACY_INDEX_FILE = "vectors.hnsw";
const MANIFEST_FILE = "vectors.manifest.json";
const INDEX_FILE_PATTERN = /^vectors(-[\w]+)*\.hnsw(\.keys\.json)?$/;
/**
 * Index and temp files no manifest names are removed once untouched this long: another process may be between
 * writing its index file and its manifest (milliseconds apart). Removing one too early only costs that process's
 * manifest a rebuild at the next open, never a wrong index.
 */
const ORPHAN_AGE_MS = 60_000;
const BATCH = 2000;
/**
 * Vectors an index that inserts on its own thread may have waiting while changes are handed over (~1.5 s of inserts
 * at 100k, ~7 MB): enough that the writer and the inserts overlap, bounded so a fast writer cannot queue an ingest.
 */
const MAX_QUEUED = 4096;

export interface VectorCacheOptions {
  dir: string;
  embedderId: string;
  dimensions: number;
  /** Start empty without reading stored vectors (they belong to another embedder until `rebuild`). */
  deferLoad?: boolean;
}

/** The store as the cache reads it: vectors with their filter fields, and the change log. */
export type VectorSource = Pick<DocumentRepository, "vectorEntries" | "allChunkIds"> & ChangeLog;

export class VectorCache implements IndexSync {
  private seq = 0;
  private unsaved = 0;
  /** This process's previous index file: superseded by its next save, so removed right away. */
  private lastFile: string | undefined;
  /** Serialises change replay and saves: hnswlib writes the file off-thread, so an insert during a save races it. */
  private exclusive: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly store: VectorSource,
    private readonly factory: VectorIndexFactory,
    private readonly options: VectorCacheOptions,
    private index: MutableVectorIndex,
  ) {}

  /** Loads the saved index when its manifest matches this store, embedder and index file, then catches up. */
  static async open(store: VectorSource, factory: VectorIndexFactory, options: VectorCacheOptions): Promise<VectorCache> {
    if (options.deferLoad) {
      const cache = new VectorCache(store, factory, options, factory.create(options.dimensions));
      cache.seq = await store.lastSeq();
      return cache;
    }
    const manifest = await readManifest(options.dir);
    const index = manifest ? await loadMatching(factory, options, manifest, await store.lastSeq()) : undefined;
    const cache = new VectorCache(store, factory, options, index ?? factory.create(options.dimensions));
    if (index && manifest) cache.seq = manifest.seq;
    else await cache.rebuildNow(cache.index);
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
   * (a slice, so a long catch-up can let the caller's event loop run in between). Returns how many; they are
   * searchable on return.
   */
  catchUp(maxChanges = Number.POSITIVE_INFINITY): Promise<number> {
    return this.serialized(async () => {
      const applied = await this.applyChanges(maxChanges);
      await this.index.settle?.(0);
      return applied;
    });
  }

  /** Hands logged changes to the index; an index inserting on its own thread may still be busy on return. */
  queueCatchUp(maxChanges = Number.POSITIVE_INFINITY): Promise<number> {
    return this.serialized(() => this.applyChanges(maxChanges));
  }

  /** Stops the index's thread, if it has one (the process is closing). */
  close(): Promise<void> {
    return this.serialized(async () => { await this.index.close?.(); });
  }

  /** Writes a uniquely named index file, then the manifest naming it (temp file + rename): the commit point. */
  save(): Promise<void> {
    return this.serialized(() => this.writeSnapshot());
  }

  /** Saves when enough changes accumulated since the last save (keeps start-up replay short). */
  async saveIfDirty(threshold: number): Promise<void> {
    if (this.unsaved >= threshold) await this.save();
  }

  /** Drops the in-memory index and rebuilds it from every stored vector. */
  rebuild(): Promise<void> {
    return this.serialized(() => this.rebuildNow());
  }

  /** Fills `index` (a new empty one by default) with every stored vector and makes it the current one. */
  private async rebuildNow(index = this.factory.create(this.options.dimensions)): Promise<void> {
    const seq = await this.store.lastSeq();
    const ids = await this.store.allChunkIds();
    for (let i = 0; i < ids.length; i += BATCH) {
      index.add(await this.store.vectorEntries(ids.slice(i, i + BATCH)));
      await index.settle?.(MAX_QUEUED);
    }
    await index.settle?.(0);
    const previous = this.index;
    this.index = index;
    if (previous !== index) await previous.close?.();
    this.seq = seq;
    this.unsaved = ids.length;
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.exclusive.then(fn, fn);
    this.exclusive = run.catch(() => undefined);
    return run;
  }

  private async writeSnapshot(): Promise<void> {
    const { dir } = this.options;
    await mkdir(dir, { recursive: true });
    const seq = this.seq;
    const applied = this.unsaved;
    const file = `vectors-${Date.now().toString(36)}-${process.pid}-${randomUUID().slice(0, 8)}.hnsw`;
    await this.index.save(join(dir, file));
    const manifest: Manifest = {
      version: 3,
      seq,
      embedderId: this.options.embedderId,
      dimensions: this.options.dimensions,
      count: this.index.size,
      file,
      bytes: (await stat(join(dir, file))).size,
      savedAt: new Date().toISOString(),
    };
    const tmp = join(dir, `${MANIFEST_FILE}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`);
    try {
      await writeFile(tmp, JSON.stringify(manifest, null, 2));
      await rename(tmp, join(dir, MANIFEST_FILE));
    } catch (err) {
      await rm(tmp, { force: true });
      await rm(join(dir, file), { force: true });
      throw err;
    }
    this.unsaved = Math.max(0, this.unsaved - applied);
    if (this.lastFile) await removeIndexFiles(dir, this.lastFile);
    this.lastFile = file;
    await removeOrphans(dir, file);
  }

  private async applyChanges(maxChanges: number): Promise<number> {
    let applied = 0;
    while (applied < maxChanges) {
      const changes = await this.store.since(this.seq, Math.min(BATCH, maxChanges - applied));
      if (changes.length === 0) return applied;
      const last = new Map<string, "add" | "delete">();
      for (const c of changes) last.set(c.chunkId, c.op);
      const adds: string[] = [];
      const deletes: string[] = [];
      for (const [chunkId, op] of last) (op === "add" ? adds : deletes).push(chunkId);
      this.index.remove(deletes);
      // An add whose chunk is gone by now (deleted later in the log) is skipped: its delete comes in a later batch.
      this.index.add(await this.store.vectorEntries(adds));
      await this.index.settle?.(MAX_QUEUED);
      this.seq = changes[changes.length - 1]!.seq;
      applied += changes.length;
      this.unsaved += changes.length;
    }
    return applied;
  }
}

/** The manifest's index file when everything about it matches; undefined means "rebuild". */
async function loadMatching(factory: VectorIndexFactory, options: VectorCacheOptions, manifest: Manifest, lastSeq: number): Promise<MutableVectorIndex | undefined> {
  if (manifest.embedderId !== options.embedderId || manifest.dimensions !== options.dimensions || manifest.seq > lastSeq) return undefined;
  const file = join(options.dir, manifest.file);
  const bytes = await stat(file).then((s) => s.size, () => undefined);
  if (bytes === undefined || bytes !== manifest.bytes) return undefined;
  const index = await factory.load(file, options.dimensions).catch(() => undefined);
  // Another save's file (same size by chance) still shows in the count.
  return index && index.size === manifest.count ? index : undefined;
}

/** Removes index files (and temp files) of earlier saves that no manifest names any more. */
async function removeOrphans(dir: string, keep: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const cutoff = Date.now() - ORPHAN_AGE_MS;
  for (const name of names) {
    // An index may keep companion files named after it (the HNSW adapter's key table).
    if (name === keep || name.startsWith(`${keep}.`) || !(INDEX_FILE_PATTERN.test(name) || /^vectors.*\.tmp$/.test(name))) continue;
    const modified = await stat(join(dir, name)).then((s) => s.mtimeMs, () => Number.POSITIVE_INFINITY);
    // The legacy file is only ever written by pre-upgrade processes; it is superseded as soon as a v2 manifest exists.
    if (name === LEGACY_INDEX_FILE || modified < cutoff) await rm(join(dir, name), { force: true });
  }
}

/** An index file and its companion files. */
async function removeIndexFiles(dir: string, file: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) if (name === file || name.startsWith(`${file}.`)) await rm(join(dir, name), { force: true });
}

async function readManifest(dir: string): Promise<Manifest | undefined> {
  try {
    return manifestSchema.parse(JSON.parse(await readFile(join(dir, MANIFEST_FILE), "utf8")));
  } catch {
    return undefined;
  }
}
