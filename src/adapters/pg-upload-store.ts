import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { appendFile, chmod, rename, rm, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type pg from "pg";
import { InvalidInputError, UnsupportedDocumentError } from "../errors.js";
import type { StoredUpload, UploadStore } from "../ports/upload-store.js";
import { hashFile, prepareScratchDir, sanitizeFileName } from "./file-upload-store.js";
import { inTransaction } from "./pg-schema.js";

/** Bytes per `upload_parts` row: large enough for few rows, small enough that no single value strains the protocol. */
export const UPLOAD_PART_BYTES = 1024 * 1024;
const PREFIX = "pg-upload:";
const KEY = /^pg-upload:[0-9a-f]{64}-[0-9a-f]{12}-[A-Za-z0-9._-]{1,100}$/;

/**
 * Uploads waiting for their job, kept in PostgreSQL (`uploads` + `upload_parts`, bytea in parts of 1 MiB) so a worker
 * on any machine can run the job; removed when the job ends, like the file store's. An upload's key is
 * `pg-upload:<sha256>-<random>-<sanitized name>`. The only local files are this machine's scratch ones, in
 * `scratchDir`: streamed multipart parts before they are adopted, and the private copy the parse sandbox reads.
 */
export class PgUploadStore implements UploadStore {
  private scratch: Promise<string> | undefined;

  constructor(private readonly pool: pg.Pool, private readonly scratchDir: string, private readonly maxBytes: number) {}

  incomingDir(): Promise<string> {
    this.scratch ??= prepareScratchDir(resolve(this.scratchDir)).catch((err: unknown) => {
      this.scratch = undefined;
      throw err;
    });
    return this.scratch;
  }

  async save(bytes: Buffer, fileName: string): Promise<StoredUpload> {
    this.checkSize(bytes.length, fileName);
    const contentHash = createHash("sha256").update(bytes).digest("hex");
    const path = newKey(contentHash, fileName);
    await inTransaction(this.pool, async (client) => {
      await client.query("INSERT INTO uploads (path, content_hash, size, created_at) VALUES ($1, $2, $3, $4)", [path, contentHash, bytes.length, Date.now()]);
      for (let part = 0, at = 0; at < bytes.length || part === 0; part++, at += UPLOAD_PART_BYTES) {
        await client.query("INSERT INTO upload_parts (path, part, bytes) VALUES ($1, $2, $3)", [path, part, bytes.subarray(at, at + UPLOAD_PART_BYTES)]);
      }
    });
    return { path, contentHash, size: bytes.length };
  }

  async adopt(tempPath: string, fileName: string): Promise<StoredUpload> {
    try {
      const { size } = await stat(tempPath);
      this.checkSize(size, fileName);
      // Hashed first (a second read of a local file), so the row is written once under its final key.
      const contentHash = await hashFile(tempPath);
      const path = newKey(contentHash, fileName);
      await inTransaction(this.pool, async (client) => {
        await client.query("INSERT INTO uploads (path, content_hash, size, created_at) VALUES ($1, $2, $3, $4)", [path, contentHash, size, Date.now()]);
        let part = 0;
        for await (const chunk of createReadStream(tempPath, { highWaterMark: UPLOAD_PART_BYTES })) {
          await client.query("INSERT INTO upload_parts (path, part, bytes) VALUES ($1, $2, $3)", [path, part++, chunk]);
        }
        if (part === 0) await client.query("INSERT INTO upload_parts (path, part, bytes) VALUES ($1, 0, $2)", [path, Buffer.alloc(0)]);
      });
      return { path, contentHash, size };
    } finally {
      await rm(tempPath, { force: true });
    }
  }

  async read(path: string): Promise<Buffer> {
    const key = checkKey(path);
    const { rows } = await this.pool.query<{ bytes: Buffer }>("SELECT bytes FROM upload_parts WHERE path = $1 ORDER BY part", [key]);
    if (rows.length === 0) throw gone(path);
    return Buffer.concat(rows.map((r) => r.bytes));
  }

  async localPath(path: string): Promise<string> {
    const key = checkKey(path);
    const file = join(await this.incomingDir(), `copy-${key.slice(PREFIX.length)}`);
    if (await stat(file).then(() => true, () => false)) return file;
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      await writeFile(tmp, Buffer.alloc(0), { mode: 0o600, flag: "wx" });
      await chmod(tmp, 0o600);
      // Part by part: an upload as large as MAX_FILE_BYTES never sits whole in this process's memory.
      for (let part = 0; ; part++) {
        const { rows } = await this.pool.query<{ bytes: Buffer }>("SELECT bytes FROM upload_parts WHERE path = $1 AND part = $2", [key, part]);
        if (!rows[0]) {
          if (part === 0) throw gone(path);
          break;
        }
        await appendFile(tmp, rows[0].bytes);
      }
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return file;
  }

  async remove(path: string): Promise<void> {
    const key = checkKey(path);
    await this.pool.query("DELETE FROM uploads WHERE path = $1", [key]);
    await rm(join(resolve(this.scratchDir), `copy-${key.slice(PREFIX.length)}`), { force: true });
  }

  async list(): Promise<Array<{ path: string; modifiedAt: number }>> {
    const { rows } = await this.pool.query<{ path: string; created_at: number }>("SELECT path, created_at::float8 AS created_at FROM uploads ORDER BY created_at");
    return rows.map((r) => ({ path: r.path, modifiedAt: r.created_at }));
  }

  private checkSize(size: number, fileName: string): void {
    if (size > this.maxBytes) throw new UnsupportedDocumentError(sanitizeFileName(fileName), `larger than ${this.maxBytes} bytes`, { status: 413 });
  }
}

function newKey(contentHash: string, fileName: string): string {
  return `${PREFIX}${contentHash}-${randomBytes(6).toString("hex")}-${sanitizeFileName(fileName)}`;
}

/** The key when it is one this store hands out; anything else (a file path, another store's key) is refused. */
function checkKey(path: string): string {
  if (!KEY.test(path)) throw new InvalidInputError(`upload '${path}' is not an upload of the PostgreSQL upload store`);
  return path;
}

function gone(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`upload '${path}' is gone`), { code: "ENOENT" });
}
