import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach } from "vitest";
import type { ChunkInput, DocumentRecord } from "../../src/ports/document-repository.js";
import { openSqliteStore, type SqliteDocumentStore } from "../../src/adapters/sqlite-store.js";

/** A minimal manual record in `collection`. */
export function storeRecord(id: string, collection = "one"): DocumentRecord {
  return { id, title: id, collection, sourceType: "manual", format: "text/plain", contentHash: `${id}-${collection}` };
}

/** A one-chunk input whose body terms are the text's words, with a 2-d vector. */
export function storeChunk(documentId: string, text: string, collection = "one"): ChunkInput {
  const hash = createHash("sha256").update(text).digest("hex");
  return {
    chunk: { id: `${collection}/${documentId}#${hash.slice(0, 12)}`, documentId, title: documentId, sectionPath: [], position: 0, text, contentHash: hash, tokenCount: 2, collection, sourceType: "manual" },
    titleTokens: [], bodyTokens: text.split(" "), vector: new Float32Array([1, 0]),
  };
}

/** A fresh SQLite store in a temp dir for each test of the file, closed and removed after it. */
export function useTempStore(prefix: string, seed?: (store: SqliteDocumentStore) => Promise<void> | void): { readonly store: SqliteDocumentStore } {
  let dir = "";
  let store: SqliteDocumentStore | undefined;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    store = openSqliteStore(path.join(dir, "store.db"));
    await seed?.(store);
  });
  afterEach(async () => {
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    get store(): SqliteDocumentStore {
      if (!store) throw new Error("the temp store exists only inside a test");
      return store;
    },
  };
}
