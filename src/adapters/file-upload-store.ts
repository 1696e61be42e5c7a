import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { access, chmod, copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import { InvalidInputError } from "../errors.js";
import type { StoredUpload, UploadStore } from "../ports/upload-store.js";

const MAX_NAME_LENGTH = 100;

/**
 * Uploads kept as files under `${dataDir}/uploads` (directory 0700, files 0600) until their ingestion job ran.
 * Each file is written under a temporary name and renamed, so a reader never sees half an upload.
 *
 * Names are `<sha256>-<random>-<sanitized basename>`: the hash and name make them recognisable, and the random
 * part gives every upload its own file, so one job removing its upload never pulls the file from under another
 * job that was handed identical bytes under the same name.
 */
export class FileUploadStore implements UploadStore {
  readonly root: string;
  /** Streamed multipart uploads before they are adopted (a sibling of `root`: same file system, never a job's path). */
  readonly incoming: string;
  private ready: Promise<void> | undefined;
  private incomingReady: Promise<string> | undefined;

  constructor(dataDir: string) {
    this.root = resolve(dataDir, "uploads");
    this.incoming = resolve(dataDir, "incoming");
  }

  incomingDir(): Promise<string> {
    this.incomingReady ??= prepareScratchDir(this.incoming).catch((err: unknown) => {
      this.incomingReady = undefined;
      throw err;
    });
    return this.incomingReady;
  }

  async save(bytes: Buffer, fileName: string): Promise<StoredUpload> {
    await this.ensureRoot();
    const contentHash = createHash("sha256").update(bytes).digest("hex");
    const path = this.newPath(contentHash, fileName);
    const tmp = `${path}.${process.pid}.tmp`;
    try {
      await writeFile(tmp, bytes, { mode: 0o600, flag: "wx" });
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return { path, contentHash, size: bytes.length };
  }

  async adopt(tempPath: string, fileName: string): Promise<StoredUpload> {
    try {
      await this.ensureRoot();
      const contentHash = await hashFile(tempPath);
      const { size } = await stat(tempPath);
      const path = this.newPath(contentHash, fileName);
      await chmod(tempPath, 0o600);
      await moveInto(tempPath, path);
      return { path, contentHash, size };
    } finally {
      await rm(tempPath, { force: true });
    }
  }

  async localPath(path: string): Promise<string> {
    const full = this.inside(path);
    await access(full);
    return full;
  }

  async read(path: string): Promise<Buffer> {
    return readFile(this.inside(path));
  }

  async remove(path: string): Promise<void> {
    await rm(this.inside(path), { force: true });
  }

  async list(): Promise<Array<{ path: string; modifiedAt: number }>> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    const out: Array<{ path: string; modifiedAt: number }> = [];
    for (const name of names) {
      // Temp files are uploads still being written (or left by a crash mid-write, which is an orphan too).
      const path = join(this.root, name);
      const info = await stat(path).catch(() => undefined);
      if (info?.isFile()) out.push({ path, modifiedAt: info.mtimeMs });
    }
    return out;
  }

  private newPath(contentHash: string, fileName: string): string {
    return join(this.root, `${contentHash}-${randomBytes(6).toString("hex")}-${sanitizeFileName(fileName)}`);
  }

  /** The resolved path when it names a file directly inside the upload directory; throws otherwise. */
  private inside(path: string): string {
    const full = resolve(path);
    const rel = relative(this.root, full);
    if (rel === "" || rel.startsWith("..") || isAbsolute(rel) || rel.includes("/") || rel.includes("\\")) {
      throw new InvalidInputError(`upload path '${path}' is outside the upload directory`);
    }
    return full;
  }

  private ensureRoot(): Promise<void> {
    this.ready ??= (async () => {
      await mkdir(this.root, { recursive: true, mode: 0o700 });
      // mkdir leaves an existing directory's mode alone (and the umask may loosen a new one).
      await chmod(this.root, 0o700);
    })().catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }
}

/**
 * Creates (0700) a directory of this machine's short-lived upload files (streamed parts, private copies for the parse
 * sandbox) and removes the ones older than an hour, left by a process that died mid-request.
 */
export async function prepareScratchDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  await removeStale(dir);
  return dir;
}

/** Temp files older than an hour (a request that old is long gone: REQUEST_TIMEOUT_MS is at most 10 minutes). */
async function removeStale(dir: string): Promise<void> {
  const cutoff = Date.now() - 60 * 60 * 1000;
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile() && info.mtimeMs < cutoff) await rm(path, { force: true });
  }
}

/** sha256 (hex) of a file, read as a stream (an upload may be as large as MAX_FILE_BYTES). */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Renames `from` to `to`; across file systems (a temp dir elsewhere) copies to a temp name first, then renames. */
async function moveInto(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EXDEV") throw err;
    const tmp = `${to}.${process.pid}.tmp`;
    try {
      await copyFile(from, tmp);
      await chmod(tmp, 0o600);
      await rename(tmp, to);
    } catch (copyErr) {
      await rm(tmp, { force: true });
      throw copyErr;
    }
  }
}

/** The last path segment of a client-supplied name, reduced to `[A-Za-z0-9._-]`, never hidden, never empty, extension kept. */
export function sanitizeFileName(fileName: string): string {
  const base = fileName.normalize("NFC").split(/[\\/]/).pop() ?? "";
  const cleaned = base.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/\.+$/, "");
  // A name with nothing before its extension (".md", "日本語.md") keeps the extension behind a placeholder.
  const named = cleaned === "" || /^[._]/.test(cleaned) ? `upload${cleaned.replace(/^_+/, "_")}` : cleaned;
  return named.slice(-MAX_NAME_LENGTH);
}
