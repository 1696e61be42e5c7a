/**
 * Keeps uploaded files until their ingestion job has run. Files live under DATA_DIR with owner-only permissions;
 * jobs reference them by path so the queue never carries document text.
 */
export interface StoredUpload {
  path: string;
  /** sha256 (hex) of the bytes. */
  contentHash: string;
  size: number;
}

export interface UploadStore {
  save(bytes: Buffer, fileName: string): Promise<StoredUpload>;
  read(path: string): Promise<Buffer>;
  /** Removes an upload; a missing file is not an error. Refuses paths outside the upload directory. */
  remove(path: string): Promise<void>;
  /** Every kept upload with its last modification time (epoch ms): reconciliation looks for uploads without a job. */
  list(): Promise<Array<{ path: string; modifiedAt: number }>>;
}
