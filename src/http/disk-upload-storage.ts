import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Request } from "express";
import type multer from "multer";

/** What the storage adds to each received file: where it was written and its size. */
export interface StreamedFile {
  path: string;
  size: number;
}

/**
 * multer storage that streams each file to `${dir()}/<random>.part` (mode 0600, in a 0700 directory under
 * DATA_DIR), so an upload never sits whole in memory (the upload store hashes it when it adopts the file). A file whose stream fails (client gone,
 * over the size limit) is removed; multer removes those already written when a later part fails.
 */
export class DiskUploadStorage implements multer.StorageEngine {
  constructor(private readonly dir: () => Promise<string>) {}

  _handleFile(_req: Request, file: Express.Multer.File, callback: (error?: unknown, info?: Partial<Express.Multer.File> & Partial<StreamedFile>) => void): void {
    this.dir().then(
      (dir) => this.write(join(dir, `${randomBytes(12).toString("hex")}.part`), file, callback),
      (err: unknown) => callback(err),
    );
  }

  _removeFile(_req: Request, file: Express.Multer.File, callback: (error: Error | null) => void): void {
    rm(file.path, { force: true }).then(() => callback(null), (err: Error) => callback(err));
  }

  private write(path: string, file: Express.Multer.File, callback: (error?: unknown, info?: Partial<Express.Multer.File> & Partial<StreamedFile>) => void): void {
    let size = 0;
    let failed = false;
    const out = createWriteStream(path, { mode: 0o600, flags: "wx" });
    const fail = (err: unknown): void => {
      if (failed) return;
      failed = true;
      out.destroy();
      void rm(path, { force: true }).finally(() => callback(err));
    };
    file.stream.on("data", (chunk: Buffer) => {
      size += chunk.length;
    });
    file.stream.on("error", fail);
    out.on("error", fail);
    out.on("finish", () => {
      if (!failed) callback(null, { path, size });
    });
    file.stream.pipe(out);
  }
}
