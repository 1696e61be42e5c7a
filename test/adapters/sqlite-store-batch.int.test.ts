import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChunkInput, DocumentRecord } from "../../src/ports/document-store.js";
import { openSqliteStore, type SqliteDocumentStore } from "../../src/adapters/sqlite-store.js";

function record(id: string): DocumentRecord {
  return { id, title: id, collection: "one", sourceType: "manual", format: "text/plain", contentHash: id };
}

function chunk(documentId: string, text: string): ChunkInput {
  const hash = createHash("sha256").update(text).digest("hex");
  return {
    chunk: { id: `${documentId}#${hash.slice(0, 12)}`, documentId, title: documentId, sectionPath: [], position: 0, text, contentHash: hash, tokenCount: 2, collection: "one", sourceType: "manual" },
    titleTokens: [], bodyTokens: text.split(" "), vector: new Float32Array([1, 0]),
  };
}

let dir: string;
let store: SqliteDocumentStore;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "store-batch-"));
  store = openSqliteStore(path.join(dir, "store.db"));
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("writeBatch", () => {
  it("commits several documents together, visible to other connections only afterwards", () => {
    const reader = openSqliteStore(path.join(dir, "store.db"), { readonly: true });
    try {
      const seen = store.writeBatch(() => {
        store.replaceDocument(record("a"), [chunk("a", "router reset")]);
        store.replaceDocument(record("b"), [chunk("b", "router power")]);
        return reader.countDocuments();
      });
      expect(seen).toBe(0);
      expect(reader.countDocuments()).toBe(2);
      expect(store.searchBm25(["router"], 5)).toHaveLength(2);
      expect(store.changesSince(0, 10).map((c) => c.op)).toEqual(["add", "add"]);
    } finally {
      reader.close();
    }
  });

  it("stores nothing of the batch when it throws, not even documents whose write returned", () => {
    store.replaceDocument(record("a"), [chunk("a", "router reset")]);
    const seq = store.lastSeq();
    expect(() =>
      store.writeBatch(() => {
        store.replaceDocument(record("a"), [chunk("a", "router reset twice")]);
        store.replaceDocument(record("b"), [chunk("b", "router power")]);
        store.replaceDocument(record("c"), [chunk("other", "wrong document")]);
      }),
    ).toThrow(/belongs to 'other'/);
    expect(store.getDocumentChunks("a").map((c) => c.text)).toEqual(["router reset"]);
    expect(store.getDocument("b")).toBeUndefined();
    expect(store.lastSeq()).toBe(seq);
    expect(store.searchBm25(["power"], 5)).toEqual([]);
  });
});
