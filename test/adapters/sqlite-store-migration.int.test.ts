import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SCHEMA_VERSION } from "../../src/adapters/sqlite-schema.js";
import { openSqliteStore } from "../../src/adapters/sqlite-store.js";
import { storeChunk, storeRecord } from "../support/store-fixtures.js";
import { buildV3Store } from "../support/store-schema-v3.js";

let dir = "";
let file = "";
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "store-migration-"));
  file = path.join(dir, "store.db");
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("store from before (collection, id) identity (schema 3)", () => {
  it("opens, migrates, keeps documents, chunks, labels, FTS and the change log, and then keeps ids apart per collection", async () => {
    const labels = buildV3Store(file, [
      { id: "nightjar.md", collection: "secret", title: "Vault", texts: ["brass key behind the boiler", "door code rotates"] },
      { id: "guide.md", collection: "manuals", title: "Guide", texts: ["lamp bulb replacement"] },
    ], { burnLabels: 3 });
    const before = new Database(file, { readonly: true });
    const seqBefore = before.prepare("SELECT max(seq) FROM changes").pluck().get() as number;
    before.close();

    const store = openSqliteStore(file);
    const labelsOf = (collection: string, id: string): number[] => {
      const raw = new Database(file, { readonly: true });
      try {
        return raw.prepare("SELECT label FROM chunks WHERE collection = ? AND document_id = ? ORDER BY position").pluck().all(collection, id) as number[];
      } finally {
        raw.close();
      }
    };
    try {
      expect(await store.getDocument("secret", "nightjar.md")).toMatchObject({ title: "Vault", chunkCount: 2, collection: "secret" });
      expect(await store.getDocument("manuals", "nightjar.md")).toBeUndefined();
      const chunks = await store.getDocumentChunks("secret", "nightjar.md");
      expect(labelsOf("secret", "nightjar.md")).toEqual(labels.slice(0, 2));
      expect(chunks.map((c) => c.id)).toEqual(["secret/nightjar.md#0", "secret/nightjar.md#1"]);
      expect((await store.keywordIndex.search(["boiler"], 5)).map((h) => h.chunkId)).toEqual(["secret/nightjar.md#0"]);
      expect(await store.lastSeq()).toBe(seqBefore);
      // Version 7: the log names live chunks by key; per-collection statistics start right.
      const logged = new Set((await store.since(0, 100)).map((c) => c.chunkId));
      for (const c of chunks) expect(logged.has(c.id)).toBe(true);
      expect(await store.keywordIndex.stats(["boiler", "lamp"], ["secret"])).toEqual({ chunks: 2, df: new Map([["boiler", 1], ["lamp", 0]]) });

      // The same id in another collection is another document: the secret one is untouched.
      await store.replaceDocument(storeRecord("nightjar.md", "manuals"), [storeChunk("nightjar.md", "brass key behind the boiler", "manuals")]);
      expect(await store.getDocument("secret", "nightjar.md")).toMatchObject({ title: "Vault", chunkCount: 2 });
      // Labels are never reused: the burnt (deleted) labels stay behind the sequence.
      expect(labelsOf("manuals", "nightjar.md")[0]).toBeGreaterThan(Math.max(...labels) + 3);
      expect(await store.deleteDocument("manuals", "nightjar.md")).toBe(true);
      expect(await store.getDocumentChunks("secret", "nightjar.md")).toHaveLength(2);
      expect(await store.deleteDocument("secret", "nightjar.md")).toBe(true);
      expect(await store.keywordIndex.search(["boiler"], 5)).toEqual([]);
      expect(await store.listAudit()).toEqual([]);
    } finally {
      await store.close();
    }
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    expect(raw.pragma("foreign_key_check")).toEqual([]);
    raw.close();
  });
});
