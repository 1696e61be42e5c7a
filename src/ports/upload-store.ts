/**
 * Keeps uploaded files until their ingestion job has run: as files under DATA_DIR with owner-only permissions, or in
 * PostgreSQL when DATABASE_URL is set (so a worker on another machine can read them). Jobs reference an upload by its
 * `path`, an opaque key of the store, so the queue never carries document text.
 */
export interface StoredUpload {
  /** The store's key of the upload (a file path for the file store; never a path of another machine). */
  path: string;
  /** sha256 (hex) of the bytes. */
  contentHash: string;
  size: number;
}

export interface UploadStore {
  save(bytes: Buffer, fileName: string): Promise<StoredUpload>;
  /**
   * Takes over a file already written to disk (a streamed multipart upload under DATA_DIR): moves it into the store
   * as an upload of `fileName`, hashing it without reading it whole into memory. The file is gone from `tempPath`
   * afterwards, also when this fails.
   */
  adopt(tempPath: string, fileName: string): Promise<StoredUpload>;
  /** A directory (owner-only, on the store's file system) where a streamed upload is written before `adopt`. */
  incomingDir(): Promise<string>;
  read(path: string): Promise<Buffer>;
  /**
   * A local file system path holding an existing upload, for a process that reads it itself (the parse sandbox); a
   * store that keeps bytes elsewhere writes a private local copy, removed with the upload. Rejects with ENOENT when it
   * is gone and refuses paths outside the store.
   */
  localPath(path: string): Promise<string>;
  /** Removes an upload; a missing file is not an error. Refuses paths outside the upload directory. */
  remove(path: string): Promise<void>;
  /** Every kept upload with its last modification time (epoch ms): reconciliation looks for uploads without a job. */
  list(): Promise<Array<{ path: string; modifiedAt: number }>>;
}
