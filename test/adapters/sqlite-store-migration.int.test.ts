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
  it("opens, migrates, keeps documents, chunks, labels, FTS and the change log, and then keeps ids apart per collection", () => {
    const labels = buildV3Store(file, [
      { id: "nightjar.md", collection: "secret", title: "Vault", texts: ["brass key behind the boiler", "door code rotates"] },
      { id: "guide.md", collection: "manuals", title: "Guide", texts: ["lamp bulb replacement"] },
    ], { burnLabels: 3 });
    const before = new Database(file, { readonly: true });
    const seqBefore = before.prepare("SELECT max(seq) FROM changes").pluck().get() as number;
    before.close();

    const store = openSqliteStore(file);
    try {
      expect(store.getDocument("secret", "nightjar.md")).toMatchObject({ title: "Vault", chunkCount: 2, collection: "secret" });
      expect(store.getDocument("manuals", "nightjar.md")).toBeUndefined();
      const chunks = store.getDocumentChunks("secret", "nightjar.md");
      expect(chunks.map((c) => c.label)).toEqual(labels.slice(0, 2));
      expect(chunks.map((c) => c.id)).toEqual(["secret/nightjar.md#0", "secret/nightjar.md#1"]);
      expect(store.searchBm25(["boiler"], 5).map((h) => h.label)).toEqual([labels[0]]);
      expect(store.lastSeq()).toBe(seqBefore);

      // The same id in another collection is another document: the secret one is untouched.
      store.replaceDocument(storeRecord("nightjar.md", "manuals"), [storeChunk("nightjar.md", "brass key behind the boiler", "manuals")]);
      expect(store.getDocument("secret", "nightjar.md")).toMatchObject({ title: "Vault", chunkCount: 2 });
      const [fresh] = store.getDocumentChunks("manuals", "nightjar.md");
      // Labels are never reused: the burnt (deleted) labels stay behind the sequence.
      expect(fresh!.label).toBeGreaterThan(Math.max(...labels) + 3);
      expect(store.deleteDocument("manuals", "nightjar.md")).toBe(true);
      expect(store.getDocumentChunks("secret", "nightjar.md")).toHaveLength(2);
      expect(store.deleteDocument("secret", "nightjar.md")).toBe(true);
      expect(store.searchBm25(["boiler"], 5)).toEqual([]);
      expect(store.listAudit()).toEqual([]);
    } finally {
      store.close();
    }
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    expect(raw.pragma("foreign_key_check")).toEqual([]);
    raw.close();
  });
});
