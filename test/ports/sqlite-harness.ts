import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openSqliteStore, type SqliteDocumentStore } from "../../src/adapters/sqlite-store.js";
import type { ChunkInput, DocumentRecord, DocumentRepository } from "../../src/ports/document-repository.js";
import type { KeywordDoc, KeywordIndex } from "../../src/ports/keyword-index.js";
import type { KeywordIndexUnderTest } from "./keyword-index.conformance.js";

/** A SQLite store in a fresh temp dir, removed on close. */
export function openTempSqliteStore(): { store: SqliteDocumentStore; close(): Promise<void> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ports-sqlite-"));
  const store = openSqliteStore(path.join(dir, "store.db"));
  return {
    store,
    close: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The SQLite keyword index fed through the repository, as ingest feeds it: a chunk is added or removed by rewriting
 * its document with its current chunks.
 */
export function sqliteKeywordIndex(): KeywordIndexUnderTest {
  const { store, close } = openTempSqliteStore();
  return repositoryKeywordIndex(store, store.keywordIndex, close);
}

/**
 * A keyword index that follows a repository, fed as ingest feeds it: a chunk is added or removed by rewriting its
 * document with its current chunks.
 */
export function repositoryKeywordIndex(store: DocumentRepository, index: KeywordIndex, close: () => Promise<void>): KeywordIndexUnderTest {
  const documents = new Map<string, Map<string, KeywordDoc>>();
  const rewrite = async (key: string): Promise<void> => {
    const docs = [...(documents.get(key)?.values() ?? [])];
    const [collection, documentId] = JSON.parse(key) as [string, string];
    const record: DocumentRecord = { id: documentId, title: documentId, collection, sourceType: "manual", format: "text/plain", contentHash: `v${Math.random()}` };
    if (docs.length === 0) await store.deleteDocument(collection, documentId);
    else await store.replaceDocument(record, docs.map((d, position) => toInput(d, position)));
  };
  return {
    index,
    add: async (docs) => {
      const touched = new Set<string>();
      for (const d of docs) {
        const key = JSON.stringify([d.collection, d.documentId]);
        if (!documents.has(key)) documents.set(key, new Map());
        documents.get(key)!.set(d.chunkId, d);
        touched.add(key);
      }
      for (const key of touched) await rewrite(key);
    },
    remove: async (chunkIds) => {
      for (const [key, docs] of documents) {
        // Every key, not the first one found: `some` would stop at the first chunk deleted from this document.
        if (chunkIds.filter((id) => docs.delete(id)).length > 0) await rewrite(key);
      }
    },
    close,
  };
}

function toInput(d: KeywordDoc, position: number): ChunkInput {
  const hash = createHash("sha256").update(`${d.chunkId}\u0000${d.titleTokens.join(" ")}\u0000${d.bodyTokens.join(" ")}`).digest("hex");
  return {
    chunk: {
      id: d.chunkId, documentId: d.documentId, title: d.documentId, sectionPath: [], position, text: d.bodyTokens.join(" "), contentHash: hash,
      tokenCount: d.bodyTokens.length, collection: d.collection, sourceType: d.sourceType,
      ...(d.product !== undefined ? { product: d.product } : {}), ...(d.language !== undefined ? { language: d.language } : {}),
    },
    titleTokens: d.titleTokens, bodyTokens: d.bodyTokens, vector: new Float32Array([1, 0]),
  };
}
