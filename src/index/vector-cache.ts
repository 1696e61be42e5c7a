import { mkdir } from "node:fs/promises";
import type { ChangeLog } from "../ports/change-log.js";
import type { DocumentRepository } from "../ports/document-repository.js";
import type { IndexSync } from "../ports/index-sync.js";
import type { MutableVectorIndex, VectorIndex, VectorIndexFactory } from "../ports/vector-index.js";
import { collapseChanges } from "./change-batch.js";
import { FlatVectorBuffer } from "./flat-vectors.js";
import { layeredVectors } from "./layered-vectors.js";
import { SnapshotWatcher, loadMatching, manifestStamp, readManifest, removeIndexFiles, removeOrphans, writeSnapshot } from "./vector-snapshots.js";

/**
 * Keeps an in-memory HNSW index current with the store, which is the source of truth. At open it loads the
 * last saved index file and replays the change log from the sequence number saved with it (the manifest), so any
 * process sharing DATA_DIR (API, CLI, workers) sees every committed write, and a crash loses nothing: a missing,
 * stale, foreign or mismatched index file is simply rebuilt from the stored vectors.
 *
 * One process builds the graph (`builds`: the snapshot lease's holder); the others follow. A builder inserts every
 * logged vector into its graph and writes snapshots (src/index/vector-snapshots.ts). A follower inserts nothing:
 * vectors logged after the snapshot it loaded wait in a flat buffer searched exactly beside the graph (searchable as
 * soon as they are read from the log), deletes are removed from its graph copy (a flag, no insert), and when the
 * builder writes a newer snapshot the follower loads it off this thread, re-applies what the log added or deleted
 * since that snapshot, swaps it in and drops the buffered vectors it covers. A follower that becomes the builder
 * inserts its buffer into its graph first.
 */
const BATCH = 2000;
/**
 * Vectors an index that inserts on its own thread may have waiting while changes are handed over (~1.5 s of inserts
 * at 100k, ~7 MB): enough that the writer and the inserts overlap, bounded so a fast writer cannot queue an ingest.
 */
const MAX_QUEUED = 4096;
/** How often a follower looks for a newer snapshot (a stat of the manifest). */
const SNAPSHOT_CHECK_MS = 250;

export interface VectorCacheOptions {
  dir: string;
  embedderId: string;
  dimensions: number;
  /** Start empty without reading stored vectors (they belong to another embedder until `rebuild`). */
  deferLoad?: boolean;
  /** Whether this process builds the graph now (asked on every catch-up); without it, always. */
  builds?: () => boolean;
  /**
   * A builder asked by `builds` writes a snapshot itself once this many changes are unsaved (paced: never more than
   * a fifth of its time goes to saves), in the middle of a long catch-up too, so followers' buffers stay small.
   */
  snapshotEvery?: number;
  /**
   * A follower whose buffer outgrows this (no builder is writing snapshots, or it fell far behind) inserts the
   * buffer into its own graph, so an exact search never scans more than this many vectors. Default 20,000.
   */
  maxBuffered?: number;
}

/** The store as the cache reads it: vectors with their filter fields, and the change log. */
export type VectorSource = Pick<DocumentRepository, "vectorEntries" | "allChunkIds"> & ChangeLog;

export class VectorCache implements IndexSync {
  private seq = 0;
  private unsaved = 0;
  /** Change-log position the graph holds everything up to (a follower's loaded snapshot; a builder's `seq`). */
  private graphSeq = 0;
  private readonly buffer: FlatVectorBuffer;
  /** Chunks a follower removed from its graph after `graphSeq` (deletes), with their log positions. */
  private readonly removedSince = new Map<string, number>();
  private readonly view: VectorIndex;
  private building = true;
  private roleAt = 0;
  /** A follower's look-out for the builder's snapshots. */
  private readonly watcher: SnapshotWatcher;
  private saveMs = 0;
  private savedAt = 0;
  /** This process's previous index files: removed once superseded twice (a follower may still be reading the last). */
  private ownFiles: string[] = [];
  /** Serialises change replay and saves: hnswlib writes the file off-thread, so an insert during a save races it. */
  private exclusive: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly store: VectorSource,
    private readonly factory: VectorIndexFactory,
    private readonly options: VectorCacheOptions,
    private index: MutableVectorIndex,
  ) {
    this.buffer = new FlatVectorBuffer(options.dimensions);
    this.view = layeredVectors(() => this.index, this.buffer);
    this.watcher = new SnapshotWatcher(factory, options, () => store.lastSeq(), 0, SNAPSHOT_CHECK_MS);
  }

  /** Loads the saved index when its manifest matches this store, embedder and index file, then catches up. */
  static async open(store: VectorSource, factory: VectorIndexFactory, options: VectorCacheOptions): Promise<VectorCache> {
    if (options.deferLoad) {
      const cache = new VectorCache(store, factory, options, factory.create(options.dimensions));
      cache.seq = cache.graphSeq = await store.lastSeq();
      return cache;
    }
    const stamp = await manifestStamp(options.dir);
    const manifest = await readManifest(options.dir);
    const index = manifest ? await loadMatching(factory, options, manifest, await store.lastSeq()) : undefined;
    const cache = new VectorCache(store, factory, options, index ?? factory.create(options.dimensions));
    if (index && manifest) {
      cache.seq = cache.graphSeq = manifest.seq;
      cache.watcher.seen(stamp);
    } else await cache.rebuildNow(cache.index);
    await cache.catchUp();
    return cache;
  }

  /** The graph, with a follower's buffered vectors beside it. */
  get vectors(): VectorIndex {
    return this.buffer.size > 0 ? this.view : this.index;
  }

  /** Whether changes were applied to the graph since the index file was last written (a follower never writes). */
  get dirty(): boolean {
    return this.building && this.unsaved > 0;
  }

  /** Change-log position this index reflects. */
  get position(): number {
    return this.seq;
  }

  /** Vectors a follower holds beside its graph (searched exactly). */
  get buffered(): number {
    return this.buffer.size;
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
    return this.serialized(async () => {
      await this.watcher.drop();
      await this.index.close?.();
    });
  }

  /** Writes a uniquely named index file, then the manifest naming it (a follower inserts its buffer first). */
  save(): Promise<void> {
    return this.serialized(async () => {
      await this.becomeBuilder();
      await this.snapshot();
    });
  }

  /** Saves when enough changes accumulated since the last save (keeps start-up replay short); builders only. */
  async saveIfDirty(threshold: number): Promise<void> {
    if (this.building && this.unsaved >= threshold) await this.save();
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
    await this.replaceGraph(index, seq);
    this.seq = seq;
    this.unsaved = ids.length;
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.exclusive.then(fn, fn);
    this.exclusive = run.catch(() => undefined);
    return run;
  }

  private async snapshot(): Promise<void> {
    const { dir } = this.options;
    await mkdir(dir, { recursive: true });
    const applied = this.unsaved;
    const started = performance.now();
    const file = await writeSnapshot(this.index, this.options, this.seq);
    this.saveMs = performance.now() - started;
    this.savedAt = performance.now();
    this.watcher.seen(await manifestStamp(dir));
    this.unsaved = Math.max(0, this.unsaved - applied);
    this.ownFiles.push(file);
    while (this.ownFiles.length > 2) await removeIndexFiles(dir, this.ownFiles.shift()!);
    await removeOrphans(dir, file);
  }

  /** Makes `index` the graph, holding the log up to `seq`; a follower's buffer and removals are then void. */
  private async replaceGraph(index: MutableVectorIndex, seq: number): Promise<void> {
    const previous = this.index;
    [this.index, this.graphSeq] = [index, seq];
    this.forgetFollowed();
    if (previous !== index) await previous.close?.();
  }

  /** The graph now holds everything a follower kept beside it: no buffered vectors, no removals to re-apply. */
  private forgetFollowed(): void {
    this.buffer.clear();
    this.removedSince.clear();
  }

  /** Asks `builds` (the lease); a follower that becomes the builder inserts its buffer into its graph. */
  private async becomeBuilder(builds = true): Promise<void> {
    if (!builds) {
      this.building = false;
      return;
    }
    await this.watcher.drop();
    if (!this.building && this.buffer.size > 0) {
      this.index.add(this.buffer.entries());
      await this.index.settle?.(0);
      this.unsaved += this.buffer.size;
    }
    this.forgetFollowed();
    this.graphSeq = this.seq;
    this.building = true;
  }

  private async applyChanges(maxChanges: number): Promise<number> {
    const now = performance.now();
    // The role is asked at most every SNAPSHOT_CHECK_MS (a lease read): a catch-up hands changes over in small slices.
    if (this.options.builds && now - this.roleAt >= SNAPSHOT_CHECK_MS) {
      this.roleAt = now;
      await this.becomeBuilder(this.options.builds());
    }
    if (!this.building) await this.followSnapshots();
    let applied = 0;
    while (applied < maxChanges) {
      const changes = await this.store.since(this.seq, Math.min(BATCH, maxChanges - applied));
      if (changes.length === 0) break;
      const { last, adds, deletes } = collapseChanges(changes);
      // An add whose chunk is gone by now (deleted later in the log) is skipped: its delete comes in a later batch.
      if (this.building) await this.insert(deletes, adds);
      else await this.follow(deletes, adds, last);
      this.seq = changes[changes.length - 1]!.seq;
      if (this.building) this.graphSeq = this.seq;
      applied += changes.length;
    }
    if (!this.building && this.buffer.size > (this.options.maxBuffered ?? 20_000)) await this.becomeBuilder();
    if (this.building && this.options.builds && this.dueForSnapshot()) await this.snapshot();
    return applied;
  }

  /** A builder's own snapshot: enough unsaved changes, and the last save's time four times over since it. */
  private dueForSnapshot(): boolean {
    const every = this.options.snapshotEvery;
    return every !== undefined && this.unsaved >= every && performance.now() - this.savedAt >= 4 * this.saveMs;
  }

  private async insert(deletes: string[], adds: string[]): Promise<void> {
    this.index.remove(deletes);
    this.index.add(await this.store.vectorEntries(adds));
    await this.index.settle?.(MAX_QUEUED);
    this.unsaved += deletes.length + adds.length;
  }

  /** A follower: buffered adds (their older graph version removed), deletes out of buffer and graph. */
  private async follow(deletes: string[], adds: string[], last: Map<string, { seq: number }>): Promise<void> {
    const entries = await this.store.vectorEntries(adds);
    const shadowed = [...deletes, ...entries.map((e) => e.chunkId)].filter((id) => this.index.has(id));
    this.index.remove(shadowed);
    for (const id of deletes) this.removedSince.set(id, last.get(id)!.seq);
    this.buffer.delete(deletes);
    for (const e of entries) this.buffer.add([e], last.get(e.chunkId)!.seq);
  }

  /**
   * A follower: swaps in a newer snapshot once loaded (see SnapshotWatcher). Removes from it what the log deleted or
   * replaced after it and keeps only the buffered vectors logged after it. A snapshot ahead of this process's
   * position moves the position to it (the graph holds those vectors; the log before it is not read again).
   */
  private async followSnapshots(): Promise<void> {
    const loaded = await this.watcher.poll(this.graphSeq);
    if (!loaded) return;
    const { index } = loaded;
    const after = loaded.manifest.seq;
    const remove = this.buffer.keysAfter(after);
    for (const [id, seq] of this.removedSince) if (seq > after) remove.push(id);
    index.remove(remove);
    await index.settle?.(0);
    const previous = this.index;
    this.index = index;
    this.graphSeq = after;
    this.buffer.dropThrough(after);
    for (const [id, seq] of this.removedSince) if (seq <= after) this.removedSince.delete(id);
    if (after > this.seq) this.seq = after;
    await previous.close?.();
  }
}
