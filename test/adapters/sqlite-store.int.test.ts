import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Chunk } from "../../src/domain/chunk.js";
import type { ChunkInput, DocumentRecord } from "../../src/ports/document-repository.js";
import { openSqliteStore, type SqliteDocumentStore } from "../../src/adapters/sqlite-store.js";
import { SCHEMA_VERSION, SchemaVersionError } from "../../src/adapters/sqlite-schema.js";

const DIMS = 4;

function record(id: string, extra: Partial<DocumentRecord> = {}): DocumentRecord {
  return { id, title: `Doc ${id}`, collection: "default", sourceType: "manual", format: "text/markdown", contentHash: `h-${id}`, ...extra };
}

/** A chunk whose content hash, tokens and vector all derive from `text`. */
function input(documentId: string, position: number, text: string, extra: Partial<Chunk> & { titleTokens?: string[] } = {}): ChunkInput {
  const { titleTokens, ...chunkExtra } = extra;
  const hash = createHash("sha256").update(text).digest("hex");
  const vector = new Float32Array(DIMS).map((_, i) => (text.charCodeAt(i % text.length) % 17) / 17);
  const chunk: Chunk = {
    id: `default/${documentId}#${hash.slice(0, 12)}`, documentId, title: `Doc ${documentId}`, sectionPath: ["Intro"], position, text,
    contentHash: hash, tokenCount: text.split(" ").length, collection: "default", sourceType: "manual", ...chunkExtra,
  };
  return { chunk, titleTokens: titleTokens ?? ["intro"], bodyTokens: text.split(" "), vector };
}

let dir: string;
let file: string;
let store: SqliteDocumentStore;
/** Row ids of the stored chunks (internal to the adapter, read straight from the file). */
function labels(): number[] {
  const raw = new Database(file, { readonly: true });
  try {
    return raw.prepare("SELECT label FROM chunks").pluck().all() as number[];
  } finally {
    raw.close();
  }
}
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "store-"));
  file = path.join(dir, "data", "store.db");
  store = openSqliteStore(file);
});
afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("SqliteDocumentStore persistence and files", () => {
  it("persists across close and reopen, without reusing row ids", async () => {
    await store.setEmbedderStamp({ id: "local-hash-v1", dimensions: DIMS });
    await store.replaceDocument(record("a"), [input("a", 0, "one"), input("a", 1, "two")]);
    const maxLabel = Math.max(...labels());
    await store.deleteDocument("default", "a");
    const seq = await store.lastSeq();
    await store.close();
    store = openSqliteStore(file);
    expect(await store.embedderStamp()).toEqual({ id: "local-hash-v1", dimensions: DIMS });
    expect(await store.lastSeq()).toBe(seq);
    await store.replaceDocument(record("b"), [input("b", 0, "three")]);
    expect(Math.min(...labels())).toBeGreaterThan(maxLabel);
    await store.setEmbedderStamp({ id: "other", dimensions: 8 });
    expect(await store.embedderStamp()).toEqual({ id: "other", dimensions: 8 });
  });

  it("backs up a consistent, openable copy", async () => {
    await store.replaceDocument(record("a"), [input("a", 0, "router one"), input("a", 1, "router two")]);
    const copy = path.join(dir, "backups", "copy.db");
    await store.backup(copy);
    expect(fs.existsSync(`${copy}.tmp`)).toBe(false);
    const restored = openSqliteStore(copy, { readonly: true });
    try {
      expect(await restored.listDocuments()).toEqual(await store.listDocuments());
      expect(await restored.getDocumentChunks("default", "a")).toEqual(await store.getDocumentChunks("default", "a"));
      expect(await restored.keywordIndex.search(["router"], 10)).toHaveLength(2);
      await expect(restored.deleteDocument("default", "a")).rejects.toThrow(/readonly/);
    } finally {
      await restored.close();
    }
  });

  it("migrates new files and refuses files from a newer schema", async () => {
    await store.close();
    const raw = new Database(file);
    expect(raw.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openSqliteStore(file)).toThrow(SchemaVersionError);
    expect(() => openSqliteStore(file, { readonly: true })).toThrow(/newer/);
    const old = path.join(dir, "old.db");
    new Database(old).close();
    expect(() => openSqliteStore(old, { readonly: true })).toThrow(/older/);
    store = openSqliteStore(old);
    expect(await store.countDocuments()).toBe(0);
  });

  it("applies only the pending migrations to an older file", async () => {
    await store.replaceDocument(record("a"), [input("a", 0, "router")]);
    await store.close();
    const raw = new Database(file);
    raw.exec("DROP TABLE chunks_fts_vocab");
    raw.pragma("user_version = 1");
    raw.close();
    store = openSqliteStore(file);
    expect((await store.keywordIndex.stats(["router"])).df.get("router")).toBe(1);
    expect(await store.getDocumentChunks("default", "a")).toHaveLength(1);
  });

  it("leaves no trace of deleted text in the database file (secure delete)", async () => {
    const secret = "zqxjvwkpfy";
    const bytesOnDisk = () => Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
    await store.replaceDocument(record("s", { title: `${secret} title` }), [
      { ...input("s", 0, `the ${secret} appears ${"filler ".repeat(600)}`), titleTokens: [secret] },
    ]);
    await store.replaceDocument(record("keep"), [input("keep", 0, "unrelated text")]);
    await store.close();
    expect(bytesOnDisk().includes(secret)).toBe(true); // the probe can see text that is there
    store = openSqliteStore(file);
    await store.deleteDocument("default", "s");
    await store.close();
    expect(bytesOnDisk().includes(secret)).toBe(false);
    store = openSqliteStore(file);
    expect((await store.listDocuments()).map((d) => d.id)).toEqual(["keep"]);
  });
});
