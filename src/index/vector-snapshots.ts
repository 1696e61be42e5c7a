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
