import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChunkInput, DocumentRecord } from "../../src/ports/document-store.js";
import { openSqliteStore, type SqliteDocumentStore } from "../../src/adapters/sqlite-store.js";

function record(id: string, collection: string): DocumentRecord {
  return { id, title: id, collection, sourceType: "manual", format: "text/plain", contentHash: `${id}-${collection}` };
}

function chunk(documentId: string, text: string, collection: string): ChunkInput {
  const hash = createHash("sha256").update(text).digest("hex");
  return {
    chunk: { id: `${documentId}#${hash.slice(0, 12)}`, documentId, title: documentId, sectionPath: [], position: 0, text, contentHash: hash, tokenCount: 2, collection, sourceType: "manual" },
    titleTokens: [], bodyTokens: text.split(" "), vector: new Float32Array([1, 0]),
  };
}

let dir: string;
let store: SqliteDocumentStore;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "store-caches-"));
  store = openSqliteStore(path.join(dir, "store.db"));
  store.replaceDocument(record("a", "one"), [chunk("a", "router reset", "one")]);
  store.replaceDocument(record("b", "two"), [chunk("b", "router power", "two")]);
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("stored analyzer tokens", () => {
  it("returns each chunk's title and body tokens as ingested, skipping unknown labels", () => {
    const [a] = store.getDocumentChunks("a");
    store.replaceDocument(record("e", "one"), [{ ...chunk("e", "empty body", "one"), titleTokens: ["manual", "reset"], bodyTokens: [] }]);
    const [e] = store.getDocumentChunks("e");
    const terms = store.getChunkTerms([a!.label, e!.label, 999]);
    expect(terms.get(a!.label)).toEqual({ label: a!.label, documentId: "a", sectionPath: a!.sectionPath, position: a!.position, titleTokens: [], bodyTokens: ["router", "reset"] });
    expect(terms.get(e!.label)).toMatchObject({ documentId: "e", titleTokens: ["manual", "reset"], bodyTokens: [] });
    expect(terms.has(999)).toBe(false);
    expect(store.getChunkTerms([]).size).toBe(0);
  });
});

describe("store caches follow every write", () => {
  it("label filters see a kept chunk moving collection (no change-log entry) and other connections' writes", () => {
    const [a] = store.getDocumentChunks("a");
    expect(store.labelFilter({ collections: ["one"] })!(a!.label)).toBe(true);
    store.replaceDocument(record("a", "two"), [chunk("a", "router reset", "two")]);
    expect(store.labelFilter({ collections: ["one"] })!(a!.label)).toBe(false);
    expect(store.labelFilter({ collections: ["two"] })!(a!.label)).toBe(true);

    const other = openSqliteStore(path.join(dir, "store.db"));
    try {
      other.replaceDocument(record("c", "one"), [chunk("c", "router cable", "one")]);
      const [c] = other.getDocumentChunks("c");
      expect(store.labelFilter({ collections: ["one"] })!(c!.label)).toBe(true);
    } finally {
      other.close();
    }
  });

  it("chunk counts and term frequencies are exact after deletes, here and from another connection", () => {
    expect(store.termStats(["router"])).toEqual({ chunks: 2, df: new Map([["router", 2]]) });
    store.deleteDocument("a");
    expect(store.termStats(["router"])).toEqual({ chunks: 1, df: new Map([["router", 1]]) });
    const other = openSqliteStore(path.join(dir, "store.db"));
    try {
      other.deleteDocument("b");
    } finally {
      other.close();
    }
    expect(store.termStats(["router"])).toEqual({ chunks: 0, df: new Map([["router", 0]]) });
  });
});
