import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Chunk } from "../../src/domain/chunk.js";
import type { ChunkInput, DocumentRecord } from "../../src/ports/document-store.js";
import { openSqliteStore, type SqliteDocumentStore } from "../../src/adapters/sqlite-store.js";
import { SCHEMA_VERSION, SchemaVersionError } from "../../src/adapters/sqlite-schema.js";
import { InvalidInputError } from "../../src/errors.js";

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
    id: `${documentId}#${hash.slice(0, 12)}`, documentId, title: `Doc ${documentId}`, sectionPath: ["Intro"], position, text,
    contentHash: hash, tokenCount: text.split(" ").length, collection: "default", sourceType: "manual", ...chunkExtra,
  };
  return { chunk, titleTokens: titleTokens ?? ["intro"], bodyTokens: text.split(" "), vector };
}

let dir: string;
let file: string;
let store: SqliteDocumentStore;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "store-"));
  file = path.join(dir, "data", "store.db");
  store = openSqliteStore(file);
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("SqliteDocumentStore documents and chunks", () => {
  it("inserts a document with its chunks and reads them back", () => {
    const chunks = [input("a", 1, "second chunk text"), input("a", 0, "first chunk text", { pageStart: 2, pageEnd: 3, product: "tv" })];
    const result = store.replaceDocument(record("a", { sourcePath: "/docs/a.md", ticket: { subject: "Hi", tags: ["x"] } }), chunks);
    expect(result).toEqual({ added: 2, removed: 0, kept: 0 });
    const doc = store.getDocument("default", "a");
    expect(doc).toMatchObject({ id: "a", status: "ready", chunkCount: 2, sourcePath: "/docs/a.md", ticket: { subject: "Hi", tags: ["x"] } });
    expect(doc?.lastError).toBeUndefined();
    const stored = store.getDocumentChunks("default", "a");
    expect(stored.map((c) => c.text)).toEqual(["first chunk text", "second chunk text"]);
    const { label, ...first } = stored[0]!;
    expect(first).toEqual(chunks[1]!.chunk);
    expect(store.getChunks([stored[1]!.label, 999, label]).map((c) => c.label)).toEqual([stored[1]!.label, label]);
    expect(store.getVectors([label]).get(label)).toEqual(chunks[1]!.vector);
    expect(store.existingVectors("default", "a").get(chunks[0]!.chunk.contentHash)).toEqual(chunks[0]!.vector);
    expect(store.allLabels()).toEqual(stored.map((c) => c.label).sort((x, y) => x - y));
  });

  it("replacing with the same chunks is a no-op for chunks and the change log", () => {
    const chunks = [input("a", 0, "alpha text"), input("a", 1, "beta text")];
    store.replaceDocument(record("a"), chunks);
    const before = store.getDocument("default", "a")!;
    const seq = store.lastSeq();
    expect(store.replaceDocument(record("a"), chunks)).toEqual({ added: 0, removed: 0, kept: 2 });
    expect(store.lastSeq()).toBe(seq);
    expect(store.getDocument("default", "a")?.createdAt).toBe(before.createdAt);
  });

  it("logs only the diff when chunks change and never reuses labels", () => {
    store.replaceDocument(record("a"), [input("a", 0, "alpha"), input("a", 1, "beta"), input("a", 2, "gamma")]);
    const old = store.getDocumentChunks("default", "a");
    const seq = store.lastSeq();
    const result = store.replaceDocument(record("a", { title: "New" }), [input("a", 0, "alpha"), input("a", 1, "delta"), input("a", 2, "gamma")]);
    expect(result).toEqual({ added: 1, removed: 1, kept: 2 });
    const now = store.getDocumentChunks("default", "a");
    const added = now.find((c) => c.text === "delta")!;
    expect(store.changesSince(seq, 100)).toEqual([
      { seq: seq + 1, op: "delete", label: old[1]!.label },
      { seq: seq + 2, op: "add", label: added.label },
    ]);
    expect(added.label).toBeGreaterThan(Math.max(...old.map((c) => c.label)));
    expect(now.find((c) => c.text === "gamma")?.label).toBe(old[2]!.label);
    expect(store.getDocument("default", "a")).toMatchObject({ title: "New", chunkCount: 3 });
  });

  it("updates kept chunks in place and logs a changed vector as delete + add", () => {
    store.replaceDocument(record("a"), [input("a", 0, "alpha"), input("a", 1, "beta")]);
    const [alpha, beta] = store.getDocumentChunks("default", "a");
    const seq = store.lastSeq();
    const moved = input("a", 0, "beta", { sectionPath: ["Moved"], titleTokens: ["moved"] });
    const revectored = { ...input("a", 1, "alpha"), vector: new Float32Array([9, 9, 9, 9]) };
    expect(store.replaceDocument(record("a"), [moved, revectored])).toEqual({ added: 0, removed: 0, kept: 2 });
    const after = store.getDocumentChunks("default", "a");
    expect(after.map((c) => [c.label, c.position])).toEqual([[beta!.label, 0], [alpha!.label, 1]]);
    expect(after[0]!.sectionPath).toEqual(["Moved"]);
    expect(store.searchBm25(["moved"], 5).map((h) => h.label)).toEqual([beta!.label]);
    expect(store.changesSince(seq, 10).map((c) => [c.op, c.label])).toEqual([["delete", alpha!.label], ["add", alpha!.label]]);
    expect(store.getVectors([alpha!.label]).get(alpha!.label)).toEqual(new Float32Array([9, 9, 9, 9]));
  });

  it("keeps the first of chunks with the same content hash", () => {
    const result = store.replaceDocument(record("a"), [input("a", 0, "same"), input("a", 1, "other"), input("a", 2, "same")]);
    expect(result.added).toBe(2);
    expect(store.getDocument("default", "a")?.chunkCount).toBe(2);
    expect(store.getDocumentChunks("default", "a").map((c) => c.position)).toEqual([0, 1]);
  });

  it("rejects chunks of another document and vectors of the wrong size", () => {
    store.setEmbedderStamp({ id: "test", dimensions: DIMS });
    expect(() => store.replaceDocument(record("a"), [input("b", 0, "x")])).toThrow(InvalidInputError);
    const bad = { ...input("a", 0, "x"), vector: new Float32Array(DIMS + 1) };
    expect(() => store.replaceDocument(record("a"), [bad])).toThrow(/dimensions/);
    expect(store.getDocument("default", "a")).toBeUndefined();
  });

  it("deletes a document everywhere", () => {
    store.replaceDocument(record("a"), [input("a", 0, "router reset"), input("a", 1, "router power")]);
    store.replaceDocument(record("b"), [input("b", 0, "router manual")]);
    const labels = store.getDocumentChunks("default", "a").map((c) => c.label);
    const seq = store.lastSeq();
    expect(store.deleteDocument("default", "a")).toBe(true);
    expect(store.deleteDocument("default", "a")).toBe(false);
    expect(store.getDocument("default", "a")).toBeUndefined();
    expect(store.getChunks(labels)).toEqual([]);
    expect(store.getVectors(labels).size).toBe(0);
    expect(store.existingVectors("default", "a").size).toBe(0);
    expect(store.searchBm25(["reset"], 10)).toEqual([]);
    expect(store.searchBm25(["router"], 10)).toHaveLength(1);
    expect(store.changesSince(seq, 10).map((c) => [c.op, c.label]).sort()).toEqual(labels.map((l) => ["delete", l]).sort());
  });

  it("records failures without losing previous chunks", () => {
    store.markFailed("default", "new", "parse error", { sourcePath: "/x/new.pdf", sourceType: "ticket" });
    expect(store.getDocument("default", "new")).toMatchObject({ status: "failed", lastError: "parse error", chunkCount: 0, sourcePath: "/x/new.pdf", sourceType: "ticket" });
    store.replaceDocument(record("a"), [input("a", 0, "alpha")]);
    store.markFailed("default", "a", "boom");
    expect(store.getDocument("default", "a")).toMatchObject({ status: "failed", lastError: "boom", chunkCount: 1, title: "Doc a" });
    expect(store.getDocumentChunks("default", "a")).toHaveLength(1);
    store.replaceDocument(record("a"), [input("a", 0, "alpha")]);
    expect(store.getDocument("default", "a")?.status).toBe("ready");
    expect(store.getDocument("default", "a")?.lastError).toBeUndefined();
  });

  it("lists and counts documents with filters, order and paging", () => {
    store.replaceDocument(record("c", { sourcePath: "/m/c.md" }), []);
    store.replaceDocument(record("a", { sourcePath: "/m/a.md", collection: "tv" }), []);
    store.replaceDocument(record("b", { sourcePath: "/t/b.json", sourceType: "ticket" }), []);
    store.markFailed("default", "d", "bad");
    expect(store.listDocuments().map((d) => d.id)).toEqual(["a", "b", "c", "d"]);
    expect(store.countDocuments()).toBe(4);
    expect(store.listDocuments({ limit: 2, offset: 1 }).map((d) => d.id)).toEqual(["b", "c"]);
    expect(store.listDocuments({ collection: "tv" }).map((d) => d.id)).toEqual(["a"]);
    expect(store.countDocuments({ status: "failed" })).toBe(1);
    expect(store.countDocuments({ sourceType: "ticket" })).toBe(1);
    expect(store.listDocuments({ sourcePathPrefix: "/m/" }).map((d) => d.id)).toEqual(["a", "c"]);
    expect(store.countDocuments({ sourcePathPrefix: "/m/", collection: "default" })).toBe(1);
  });
});

describe("SqliteDocumentStore BM25", () => {
  it("ranks title matches and multi-term matches higher, with positive scores", () => {
    store.replaceDocument(record("a"), [
      input("a", 0, "reset the power", { titleTokens: ["router"] }),
      input("a", 1, "router power", { titleTokens: ["other"] }),
      input("a", 2, "router reset power", { titleTokens: ["other"] }),
      input("a", 3, "unrelated words", { titleTokens: ["other"] }),
    ]);
    const [t, body, both] = store.getDocumentChunks("default", "a");
    const hits = store.searchBm25(["router"], 10);
    expect(hits[0]!.label).toBe(t!.label);
    expect(hits).toHaveLength(3);
    expect(hits.every((h) => h.score > 0)).toBe(true);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
    const multi = store.searchBm25(["reset", "power", "reset"], 10).map((h) => h.label);
    expect(multi.slice(0, 2).sort()).toEqual([t!.label, both!.label].sort());
    expect(multi[2]).toBe(body!.label);
    expect(store.searchBm25([], 10)).toEqual([]);
    expect(store.searchBm25(['"router', "OR", "NEAR(", "*"], 10)).toEqual([]);
  });

  it("applies filters to BM25 and label predicates", () => {
    store.replaceDocument(record("a"), [input("a", 0, "router one", { product: "r1", language: "en" })]);
    store.replaceDocument(record("b", { collection: "c2" }), [input("b", 0, "router two", { collection: "c2", sourceType: "ticket", language: "de" })]);
    const [a] = store.getDocumentChunks("default", "a");
    const [b] = store.getDocumentChunks("c2", "b");
    const labels = (filter: Parameters<SqliteDocumentStore["searchBm25"]>[2]) => store.searchBm25(["router"], 10, filter).map((h) => h.label).sort();
    expect(labels({})).toEqual([a!.label, b!.label].sort());
    expect(labels({ collections: ["c2"] })).toEqual([b!.label]);
    expect(labels({ sourceTypes: ["manual"] })).toEqual([a!.label]);
    expect(labels({ products: ["r1"] })).toEqual([a!.label]);
    expect(labels({ languages: ["de", "fr"] })).toEqual([b!.label]);
    expect(labels({ documentIds: ["a"], languages: ["de"] })).toEqual([]);
    expect(store.labelFilter({})).toBeUndefined();
    expect(store.labelFilter({ collections: [] })).toBeUndefined();
    const pred = store.labelFilter({ documentIds: ["b"] })!;
    expect([pred(a!.label), pred(b!.label)]).toEqual([false, true]);
    // ticketCollections (the customer-answer policy): an empty list keeps no ticket at all, unlike the other lists;
    // a list keeps tickets of those collections only; other source types pass either way.
    expect(labels({ ticketCollections: [] })).toEqual([a!.label]);
    expect(labels({ ticketCollections: ["other"] })).toEqual([a!.label]);
    expect(labels({ ticketCollections: ["c2"] })).toEqual([a!.label, b!.label].sort());
    const noTickets = store.labelFilter({ ticketCollections: [] })!;
    expect([noTickets(a!.label), noTickets(b!.label)]).toEqual([true, false]);
  });

  it("reports chunk counts and per-term chunk frequencies", () => {
    store.replaceDocument(record("a"), [
      input("a", 0, "router router reset", { titleTokens: ["router"] }),
      input("a", 1, "router power"),
      input("a", 2, "manual"),
    ]);
    store.replaceDocument(record("b"), [input("b", 0, "reset power")]);
    const stats = store.termStats(["router", "reset", "missing", "router"]);
    expect(stats.chunks).toBe(4);
    expect([...stats.df]).toEqual([["router", 2], ["reset", 2], ["missing", 0]]);
    store.deleteDocument("default", "b");
    expect(store.termStats(["reset", "intro"])).toEqual({ chunks: 3, df: new Map([["reset", 1], ["intro", 2]]) });
  });

  it("treats analyzer tokens (CJK words, bigrams, stems, punctuation) as whole terms", () => {
    store.replaceDocument(record("zh"), [
      { ...input("zh", 0, "手机 充电"), bodyTokens: ["手机", "充电", "机充"] },
      { ...input("zh", 1, "手 机"), bodyTokens: ["手", "机"] },
      { ...input("zh", 2, "configur wi-fi"), bodyTokens: ["configur", "wi-fi", "c++", "café"] },
    ]);
    const [word, chars, latin] = store.getDocumentChunks("default", "zh");
    const find = (t: string) => store.searchBm25([t], 10).map((h) => h.label);
    expect(find("手机")).toEqual([word!.label]);
    expect(find("机充")).toEqual([word!.label]);
    expect(find("手")).toEqual([chars!.label]);
    expect(find("configur")).toEqual([latin!.label]);
    expect(find("wi-fi")).toEqual([latin!.label]);
    expect(find("wi")).toEqual([]);
    expect(find("c++")).toEqual([latin!.label]);
    expect(find("cafe")).toEqual([]);
    expect(find("CAFÉ")).toEqual([latin!.label]);
  });
});

describe("SqliteDocumentStore log, persistence and files", () => {
  it("numbers the change log in order and pages through it", () => {
    store.replaceDocument(record("a"), [input("a", 0, "one"), input("a", 1, "two")]);
    store.replaceDocument(record("b"), [input("b", 0, "three")]);
    store.deleteDocument("default", "a");
    const all = store.changesSince(0, 100);
    expect(all.map((c) => c.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(all.map((c) => c.op)).toEqual(["add", "add", "add", "delete", "delete"]);
    expect(store.changesSince(2, 2).map((c) => c.seq)).toEqual([3, 4]);
    expect(store.lastSeq()).toBe(5);
    const label = all[2]!.label;
    expect(store.updateVectors([{ label, vector: new Float32Array([1, 2, 3, 4]) }, { label: 9999, vector: new Float32Array(4) }])).toBe(1);
    expect(store.changesSince(5, 10).map((c) => [c.op, c.label])).toEqual([["delete", label], ["add", label]]);
  });

  it("persists across close and reopen, without reusing labels", () => {
    store.setEmbedderStamp({ id: "local-hash-v1", dimensions: DIMS });
    store.replaceDocument(record("a"), [input("a", 0, "one"), input("a", 1, "two")]);
    const maxLabel = Math.max(...store.allLabels());
    store.deleteDocument("default", "a");
    const seq = store.lastSeq();
    store.close();
    store = openSqliteStore(file);
    expect(store.embedderStamp()).toEqual({ id: "local-hash-v1", dimensions: DIMS });
    expect(store.lastSeq()).toBe(seq);
    store.replaceDocument(record("b"), [input("b", 0, "three")]);
    expect(store.getDocumentChunks("default", "b")[0]!.label).toBeGreaterThan(maxLabel);
    store.setEmbedderStamp({ id: "other", dimensions: 8 });
    expect(store.embedderStamp()).toEqual({ id: "other", dimensions: 8 });
  });

  it("backs up a consistent, openable copy", async () => {
    store.replaceDocument(record("a"), [input("a", 0, "router one"), input("a", 1, "router two")]);
    const copy = path.join(dir, "backups", "copy.db");
    await store.backup(copy);
    expect(fs.existsSync(`${copy}.tmp`)).toBe(false);
    const restored = openSqliteStore(copy, { readonly: true });
    try {
      expect(restored.listDocuments()).toEqual(store.listDocuments());
      expect(restored.getDocumentChunks("default", "a")).toEqual(store.getDocumentChunks("default", "a"));
      expect(restored.searchBm25(["router"], 10)).toHaveLength(2);
      expect(() => restored.deleteDocument("default", "a")).toThrow(/readonly/);
    } finally {
      restored.close();
    }
  });

  it("migrates new files and refuses files from a newer schema", () => {
    store.close();
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
    expect(store.countDocuments()).toBe(0);
  });

  it("applies only the pending migrations to an older file", () => {
    store.replaceDocument(record("a"), [input("a", 0, "router")]);
    store.close();
    const raw = new Database(file);
    raw.exec("DROP TABLE chunks_fts_vocab");
    raw.pragma("user_version = 1");
    raw.close();
    store = openSqliteStore(file);
    expect(store.termStats(["router"]).df.get("router")).toBe(1);
    expect(store.getDocumentChunks("default", "a")).toHaveLength(1);
  });

  it("leaves no trace of deleted text in the database file (secure delete)", () => {
    const secret = "zqxjvwkpfy";
    const bytesOnDisk = () => Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
    store.replaceDocument(record("s", { title: `${secret} title` }), [
      { ...input("s", 0, `the ${secret} appears ${"filler ".repeat(600)}`), titleTokens: [secret] },
    ]);
    store.replaceDocument(record("keep"), [input("keep", 0, "unrelated text")]);
    store.close();
    expect(bytesOnDisk().includes(secret)).toBe(true); // the probe can see text that is there
    store = openSqliteStore(file);
    store.deleteDocument("default", "s");
    store.close();
    expect(bytesOnDisk().includes(secret)).toBe(false);
    store = openSqliteStore(file);
    expect(store.listDocuments().map((d) => d.id)).toEqual(["keep"]);
  });
});
