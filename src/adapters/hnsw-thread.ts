import { Worker } from "node:worker_threads";
import type { ChunkFilter } from "../domain/chunk.js";
import { InvalidInputError } from "../errors.js";
import type { MutableVectorIndex, VectorEntry, VectorHit, VectorIndexFactory } from "../ports/vector-index.js";
import { VectorIndexLoadError, type HnswOptions } from "./hnsw-index.js";
import { unpack, type PackedKeys } from "./hnsw-keys-file.js";
import type { FromHost, HostSpec, ToHost } from "./hnsw-thread-protocol.js";

interface Pending {
  resolve: (reply: Extract<FromHost, { ok: true }>) => void;
  reject: (err: Error) => void;
  /** Vectors this request inserts or removes (counted in the backlog until it is answered). */
  vectors: number;
}

/**
 * An HNSW index owned by a worker thread (hnsw-thread-host.ts hosts the same `HnswIndex`): hnswlib inserts one vector
 * per call on the calling thread (~0.4 ms at efConstruction 100), so a serving process that follows an ingest would
 * spend its event loop on inserts, and the ingest process would do them between its SQLite writes instead of beside
 * them. `add`/`remove` post and return; searches, saves and `settle` wait for the thread. Requests keep their order
 * (a search after `settle()` sees every earlier insert); searches are answered ahead of queued inserts.
 */
export class ThreadedHnswIndex implements MutableVectorIndex {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private backlog = 0;
  private knownCapacity: number;
  private waiters: Array<{ max: number; resolve: () => void }> = [];
  /** Set when the thread died: every later request fails with it. */
  private failure: Error | undefined;
  /** Live keys as this thread sent them, so `has` answers synchronously (the port's contract); see `keys`. */
  private keySet: Set<string> | undefined;
  /** A loaded index's keys as the index thread sent them, until `keys` is first needed. */
  private packed: PackedKeys | undefined;

  private constructor(readonly dimensions: number, private readonly worker: Worker, ready: Pick<FromHost, "capacity">, keys: PackedKeys | undefined) {
    this.knownCapacity = ready.capacity;
    this.packed = keys;
    worker.on("message", (msg: FromHost) => this.onReply(msg));
    worker.on("error", (err) => this.fail(err));
    worker.on("exit", (code) => this.fail(new Error(`HNSW index thread exited (code ${code})`)));
    worker.unref();
  }

  /**
   * An empty index in a new thread, usable at once: requests sent before the thread is up wait in its port. (Its
   * ready message carries no request id and is ignored.)
   */
  static create(dimensions: number, options: HnswOptions = {}): ThreadedHnswIndex {
    return new ThreadedHnswIndex(dimensions, startHost({ dimensions, options }), { capacity: options.initialCapacity ?? 0 }, undefined);
  }

  /** Loads a saved index (as `HnswIndex.load` reads it, key table included) in a new thread. */
  static async load(file: string, dimensions: number, options: HnswOptions = {}): Promise<ThreadedHnswIndex> {
    const worker = startHost({ dimensions, options, file });
    const ready = await new Promise<FromHost>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`HNSW index thread exited (code ${code}) before it was ready`)));
    });
    if (!ready.ok) {
      await worker.terminate();
      throw new VectorIndexLoadError(file, { cause: new Error(ready.error) });
    }
    return new ThreadedHnswIndex(dimensions, worker, ready, ready.keys);
  }

  /** Live vectors once every request sent so far is answered (see `settle`). */
  get size(): number {
    return this.keySet?.size ?? this.packed?.lengths.length ?? 0;
  }

  /**
   * The live keys, as a set built on first use: a serving process that follows no changes never needs one, and at
   * 100k chunks building it cost ~80 bytes per chunk and part of the cold start.
   */
  private get keys(): Set<string> {
    if (!this.keySet) {
      this.keySet = unpackKeys(this.packed);
      this.packed = undefined;
    }
    return this.keySet;
  }

  /** Slot capacity as of the last answered request. */
  get capacity(): number {
    return this.knownCapacity;
  }

  /** Vectors sent but not inserted (or removed) yet. */
  get queued(): number {
    return this.backlog;
  }

  has(chunkId: string): boolean {
    return this.keys.has(chunkId);
  }

  add(items: readonly VectorEntry[]): void {
    if (items.length === 0) return;
    for (const { chunkId, vector } of items) {
      if (vector.length !== this.dimensions) throw new InvalidInputError(`vector for chunk ${chunkId} has ${vector.length} dimensions, expected ${this.dimensions}`);
    }
    for (const item of items) this.keys.add(item.chunkId);
    void this.request({ op: "add", entries: [...items] }, items.length).catch(() => undefined);
  }

  remove(chunkIds: readonly string[]): void {
    if (chunkIds.length === 0) return;
    for (const id of chunkIds) this.keys.delete(id);
    void this.request({ op: "remove", chunkIds: [...chunkIds] }, chunkIds.length).catch(() => undefined);
  }

  async search(query: Float32Array, k: number, filter?: ChunkFilter): Promise<VectorHit[]> {
    if (query.length !== this.dimensions) throw new InvalidInputError(`query has ${query.length} dimensions, expected ${this.dimensions}`);
    const reply = await this.request({ op: "search", query, k, ...(filter ? { filter } : {}) });
    return reply.hits ?? [];
  }

  async save(file: string): Promise<void> {
    await this.request({ op: "save", file });
  }

  /** Resolves once at most `maxQueued` vectors wait to be inserted or removed (0: every change sent is searchable). */
  settle(maxQueued = 0): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.backlog <= maxQueued) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ max: maxQueued, resolve }));
  }

  /** Stops the thread (the index is gone; a rebuilt one replaced it, or the process is closing). */
  async close(): Promise<void> {
    this.failure ??= new Error("HNSW index closed");
    await this.worker.terminate();
  }

  private request(msg: DistributiveOmit<ToHost, "id">, vectors = 0): Promise<Extract<FromHost, { ok: true }>> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    this.backlog += vectors;
    // Only while answers are awaited does the thread keep the process alive (a save on close must finish).
    if (this.pending.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, vectors });
      this.worker.postMessage({ ...msg, id } as ToHost);
    });
  }

  private onReply(msg: FromHost): void {
    const waiting = this.pending.get(msg.id);
    if (!waiting) return;
    this.pending.delete(msg.id);
    if (this.pending.size === 0) this.worker.unref();
    this.knownCapacity = msg.capacity;
    this.backlog -= waiting.vectors;
    this.wake();
    if (msg.ok) waiting.resolve(msg);
    else waiting.reject(new Error(msg.error));
  }

  private wake(): void {
    const still: typeof this.waiters = [];
    for (const w of this.waiters) (this.backlog <= w.max ? w.resolve() : still.push(w));
    this.waiters = still;
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
    this.backlog = 0;
    this.wake();
  }
}

function unpackKeys(packed: PackedKeys | undefined): Set<string> {
  return new Set(packed ? unpack(packed) : []);
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The host thread; run from TypeScript sources (tsx, vitest) it registers tsx first, as the ingest workers do. */
function startHost(spec: HostSpec): Worker {
  const file = new URL(`./hnsw-thread-host${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url);
  if (!file.pathname.endsWith(".ts")) return new Worker(file, { workerData: spec });
  const tsx = import.meta.resolve("tsx/esm/api");
  const code = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(file.href)}); })`;
  return new Worker(code, { eval: true, workerData: spec });
}

/** Factory of thread-owned HNSW indexes with the given parameters. */
export function createThreadedHnswIndexFactory(options: HnswOptions = {}): VectorIndexFactory {
  return {
    create: (dimensions) => ThreadedHnswIndex.create(dimensions, options),
    load: (file, dimensions) => ThreadedHnswIndex.load(file, dimensions, options),
  };
}
