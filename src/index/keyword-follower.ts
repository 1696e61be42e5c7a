import type { ChangeLog } from "../ports/change-log.js";
import type { IndexSync } from "../ports/index-sync.js";
import type { KeywordDoc, KeywordIndex } from "../ports/keyword-index.js";
import { collapseChanges } from "./change-batch.js";

/** A keyword index a follower can keep current. */
export interface FollowingKeywordIndex extends KeywordIndex {
  upsert(docs: readonly KeywordDoc[]): void;
  /** Unknown keys are ignored. */
  remove(chunkIds: readonly string[]): number;
  readonly size: number;
}

/** Where a follower's index comes from at open and goes to when saved. */
export interface KeywordSnapshots<I extends FollowingKeywordIndex> {
  /** The latest valid snapshot and the change-log seq it includes, or why there is none (missing, foreign, corrupt). */
  load(): Promise<{ index: I; seq: number } | { reason: string }>;
  save(index: I, seq: number): Promise<void>;
  /** A new empty index (the rebuild starts from it and replays the whole change log). */
  empty(): I;
}

export interface KeywordFollowerOptions<I extends FollowingKeywordIndex> {
  log: ChangeLog;
  /** Keyword docs of these chunks (missing ids skipped: deleted since they were logged). */
  loadDocs: (chunkIds: readonly string[]) => Promise<KeywordDoc[]>;
  snapshots: KeywordSnapshots<I>;
  /** Change-log entries read per step (default 5000). */
  batch?: number;
  /** Told why the snapshot was not used, before the rebuild from the log. */
  onRebuild?: (reason: string) => void;
}

/**
 * Keeps an in-memory keyword index current with the change log, which (with the document repository) is the
 * source of truth: open loads the latest snapshot (or starts empty when it is missing or unusable), then replays
 * every change after the snapshot's seq. Changes are applied per batch, only the last change of each chunk
 * counted, so a chunk added and deleted within a batch is never loaded.
 */
export class KeywordIndexFollower<I extends FollowingKeywordIndex> implements IndexSync {
  /** Serialises catch-ups and saves: a save must not see a half-applied batch. */
  private queue: Promise<unknown> = Promise.resolve();

  /** Changes applied since the last snapshot. */
  private unsaved = 0;

  private constructor(private current: I, private applied: number, private readonly options: KeywordFollowerOptions<I>) {}

  static async open<I extends FollowingKeywordIndex>(options: KeywordFollowerOptions<I>): Promise<KeywordIndexFollower<I>> {
    const loaded = await options.snapshots.load();
    let start: { index: I; seq: number };
    if ("index" in loaded) {
      start = loaded;
      // A snapshot ahead of the log (the store was restored from an older backup) describes data that no longer exists.
      const last = await options.log.lastSeq();
      if (loaded.seq > last) {
        options.onRebuild?.(`snapshot seq ${loaded.seq} is ahead of the change log (${last})`);
        start = { index: options.snapshots.empty(), seq: 0 };
      }
    } else {
      options.onRebuild?.(loaded.reason);
      start = { index: options.snapshots.empty(), seq: 0 };
    }
    const follower = new KeywordIndexFollower(start.index, start.seq, options);
    await follower.catchUp();
    return follower;
  }

  get index(): I {
    return this.current;
  }

  /** The keyword index applies changes on this thread: handing them over is applying them. */
  queueCatchUp(maxChanges?: number): Promise<number> {
    return this.catchUp(maxChanges);
  }

  /** Last change-log seq applied. */
  get position(): number {
    return this.applied;
  }

  /** Whether changes were applied since the last snapshot (or open). */
  get dirty(): boolean {
    return this.unsaved > 0;
  }

  /** Applies changes logged since the last catch-up, at most `maxChanges` entries; returns how many were read. */
  catchUp(maxChanges = Number.POSITIVE_INFINITY): Promise<number> {
    return this.serial(async () => {
      const read = await replay(this.current, this.applied, maxChanges, this.options);
      this.applied = read.seq;
      this.unsaved += read.count;
      return read.count;
    });
  }

  /** Saves a snapshot of the index at the current seq. */
  save(): Promise<void> {
    return this.serial(async () => {
      await this.options.snapshots.save(this.current, this.applied);
      this.unsaved = 0;
    });
  }

  /** Saves when at least `threshold` changes were applied since the last snapshot. */
  async saveIfDirty(threshold: number): Promise<void> {
    if (this.unsaved >= Math.max(1, threshold)) await this.save();
  }

  /** Replays the whole log into a new index, then swaps it in: searches keep using the old one meanwhile. */
  rebuild(): Promise<void> {
    return this.serial(async () => {
      const fresh = this.options.snapshots.empty();
      const read = await replay(fresh, 0, Number.POSITIVE_INFINITY, this.options);
      this.current = fresh;
      this.applied = read.seq;
      this.unsaved = read.count;
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/**
 * Applies up to `max` change-log entries after `seq` to `index`, batch by batch, only the last change of each chunk
 * in a batch counted. A chunk logged as added but no longer in the repository was deleted since: it is removed.
 */
async function replay<I extends FollowingKeywordIndex>(
  index: I, seq: number, max: number, options: KeywordFollowerOptions<I>,
): Promise<{ seq: number; count: number }> {
  const batch = options.batch ?? 5000;
  let count = 0;
  while (count < max) {
    const limit = Math.min(batch, max - count);
    const changes = await options.log.since(seq, limit);
    if (changes.length === 0) break;
    const { last, adds, deletes } = collapseChanges(changes);
    const docs = adds.length > 0 ? await options.loadDocs(adds) : [];
    const found = new Set(docs.map((d) => d.chunkId));
    index.remove([...deletes, ...adds.filter((id) => !found.has(id))]);
    index.upsert(docs.filter((d) => last.get(d.chunkId)?.op === "add"));
    seq = changes[changes.length - 1]!.seq;
    count += changes.length;
    if (changes.length < limit) break;
  }
  return { seq, count };
}
