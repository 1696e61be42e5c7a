import { randomUUID } from "node:crypto";
import { readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { MutableVectorIndex, VectorIndexFactory } from "../ports/vector-index.js";

// The versioned HNSW snapshots in DATA_DIR (see VectorCache): uniquely named index files, and one manifest naming
// the current one, replaced by rename (the one commit point).

export const manifestSchema = z.object({
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
export type Manifest = z.infer<typeof manifestSchema>;

const LEGACY_INDEX_FILE = "vectors.hnsw";
export const MANIFEST_FILE = "vectors.manifest.json";
const INDEX_FILE_PATTERN = /^vectors(-[\w]+)*\.hnsw(\.keys\.json)?$/;
/**
 * Index and temp files no manifest names are removed once untouched this long: another process may be between
 * writing its index file and its manifest (milliseconds apart), or loading a file the manifest named a moment ago.
 * Removing one too early only costs that process a rebuild or a skipped swap, never a wrong index.
 */
const ORPHAN_AGE_MS = 60_000;

/** What a snapshot must match to be loaded. */
export interface SnapshotIdentity {
  dir: string;
  embedderId: string;
  dimensions: number;
}

/** Writes `index` as a new uniquely named file, then the manifest naming it; returns the file's name. */
export async function writeSnapshot(index: MutableVectorIndex, id: SnapshotIdentity, seq: number): Promise<string> {
  const { dir } = id;
  const file = `vectors-${Date.now().toString(36)}-${process.pid}-${randomUUID().slice(0, 8)}.hnsw`;
  await index.save(join(dir, file));
  const manifest: Manifest = {
    version: 3,
    seq,
    embedderId: id.embedderId,
    dimensions: id.dimensions,
    count: index.size,
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
  return file;
}

/** The manifest's index file when everything about it matches; undefined means "rebuild" (or "do not swap"). */
export async function loadMatching(factory: VectorIndexFactory, id: SnapshotIdentity, manifest: Manifest, lastSeq: number): Promise<MutableVectorIndex | undefined> {
  if (manifest.embedderId !== id.embedderId || manifest.dimensions !== id.dimensions || manifest.seq > lastSeq) return undefined;
  const file = join(id.dir, manifest.file);
  const bytes = await stat(file).then((s) => s.size, () => undefined);
  if (bytes === undefined || bytes !== manifest.bytes) return undefined;
  const index = await factory.load(file, id.dimensions).catch(() => undefined);
  // Another save's file (same size by chance) still shows in the count.
  if (index && index.size === manifest.count) return index;
  await index?.close?.();
  return undefined;
}

/** Removes index files (and temp files) of earlier saves that no manifest names any more. */
export async function removeOrphans(dir: string, keep: string): Promise<void> {
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
export async function removeIndexFiles(dir: string, file: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) if (name === file || name.startsWith(`${file}.`)) await rm(join(dir, name), { force: true });
}

export async function readManifest(dir: string): Promise<Manifest | undefined> {
  try {
    return manifestSchema.parse(JSON.parse(await readFile(join(dir, MANIFEST_FILE), "utf8")));
  } catch {
    return undefined;
  }
}

/** Modification time of the manifest (a cheap "was a newer snapshot written?" check), or 0 without one. */
export async function manifestStamp(dir: string): Promise<number> {
  return stat(join(dir, MANIFEST_FILE)).then((s) => s.mtimeMs, () => 0);
}

/** A newer snapshot, loaded. */
export interface LoadedSnapshot {
  manifest: Manifest;
  index: MutableVectorIndex;
}

/**
 * Watches the manifest for snapshots newer than a follower's graph and loads them in the background (hnswlib reads
 * the file off the calling thread), so the follower's catch-ups go on while a snapshot loads. At most one load at a
 * time; the manifest is looked at (a stat) at most every `intervalMs`.
 */
export class SnapshotWatcher {
  private checkedAt = 0;
  private staged: { manifest: Manifest; index?: MutableVectorIndex; done: boolean } | undefined;

  constructor(
    private readonly factory: VectorIndexFactory,
    private readonly id: SnapshotIdentity,
    private readonly lastSeq: () => Promise<number>,
    /** Manifest time of the snapshot the graph came from (0: none). */
    private stamp: number,
    private readonly intervalMs: number,
  ) {}

  /** Notes a snapshot this process wrote or loaded itself (not to be loaded again). */
  seen(stamp: number): void {
    this.stamp = stamp;
  }

  /**
   * The loaded snapshot newer than `graphSeq`, if one finished loading (the caller owns it now); otherwise starts
   * loading a newer one when the manifest changed.
   */
  async poll(graphSeq: number): Promise<LoadedSnapshot | undefined> {
    const staged = this.staged;
    if (staged?.done) {
      this.staged = undefined;
      if (staged.index && staged.manifest.seq > graphSeq) return { manifest: staged.manifest, index: staged.index };
      await staged.index?.close?.();
    }
    const now = performance.now();
    if (this.staged || now - this.checkedAt < this.intervalMs) return undefined;
    this.checkedAt = now;
    const stamp = await manifestStamp(this.id.dir);
    if (stamp === this.stamp) return undefined;
    const manifest = await readManifest(this.id.dir);
    // A failed load is not retried for this manifest: its file was superseded (the builder writes a newer one) or
    // does not match (a rebuild would be needed, which a follower leaves to the builder).
    this.stamp = stamp;
    if (!manifest || manifest.seq <= graphSeq) return undefined;
    const next: NonNullable<SnapshotWatcher["staged"]> = { manifest, done: false };
    this.staged = next;
    void this.lastSeq()
      .then((last) => loadMatching(this.factory, this.id, manifest, last))
      .catch(() => undefined)
      .then((index) => {
        if (index) next.index = index;
        next.done = true;
        // Dropped meanwhile (this process became the builder, or closed): nobody else will close it.
        if (this.staged !== next) void index?.close?.();
      });
    return undefined;
  }

  /** Forgets a load in progress (closing its index once loaded). */
  async drop(): Promise<void> {
    const staged = this.staged;
    this.staged = undefined;
    if (staged?.done) await staged.index?.close?.();
  }
}
