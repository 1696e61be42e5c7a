// The behaviour every DocumentRepository with its ChangeLog (src/ports) must share, as one suite run against each
// implementation: `describeDocumentRepository("name", create)` in a *.test.ts file registers it.
import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Chunk } from "../../src/domain/chunk.js";
import type { ChangeLog } from "../../src/ports/change-log.js";
import type { ChunkInput, DocumentRecord, DocumentRepository } from "../../src/ports/document-repository.js";
import { InvalidInputError } from "../../src/errors.js";

/** One implementation under test: a fresh, empty repository and the change log its writes append to. */
export interface RepositoryUnderTest {
  repo: DocumentRepository;
  log: ChangeLog;
  close(): Promise<void>;
}

const DIMS = 4;

export function repoRecord(id: string, extra: Partial<DocumentRecord> = {}): DocumentRecord {
  return { id, title: `Doc ${id}`, collection: "default", sourceType: "manual", format: "text/markdown", contentHash: `h-${id}`, ...extra };
}

/** A chunk whose key, content hash, terms and vector all derive from `text` (collection from `extra`, else "default"). */
export function repoInput(documentId: string, position: number, text: string, extra: Partial<Chunk> & { titleTokens?: string[] } = {}): ChunkInput {
  const { titleTokens, ...chunkExtra } = extra;
  const hash = createHash("sha256").update(text).digest("hex");
  const vector = new Float32Array(DIMS).map((_, i) => (text.charCodeAt(i % text.length) % 17) / 17);
  const collection = chunkExtra.collection ?? "default";
  const chunk: Chunk = {
    id: `${collection}/${documentId}#${hash.slice(0, 12)}`, documentId, title: `Doc ${documentId}`, sectionPath: ["Intro"], position, text,
    contentHash: hash, tokenCount: text.split(" ").length, collection, sourceType: "manual", ...chunkExtra,
  };
  return { chunk, titleTokens: titleTokens ?? ["intro"], bodyTokens: text.split(" "), vector };
}

/** Registers the shared repository and change-log cases for one implementation. */
export function describeDocumentRepository(name: string, create: () => Promise<RepositoryUnderTest>): void {
  describe(`${name}: document repository conformance`, () => {
    let subject: RepositoryUnderTest;
    let repo: DocumentRepository;
    let log: ChangeLog;
    beforeEach(async () => {
      subject = await create();
      ({ repo, log } = subject);
    });
    afterEach(async () => {
      await subject.close();
    });

    it("stores a document with its chunks and reads them back by key", async () => {
      const chunks = [repoInput("a", 1, "second chunk text"), repoInput("a", 0, "first chunk text", { pageStart: 2, pageEnd: 3, product: "tv" })];
      const result = await repo.replaceDocument(repoRecord("a", { sourcePath: "/docs/a.md", ticket: { subject: "Hi", tags: ["x"] } }), chunks);
      expect(result).toEqual({ added: 2, removed: 0, kept: 0 });
      const doc = await repo.getDocument("default", "a");
      expect(doc).toMatchObject({ id: "a", status: "ready", chunkCount: 2, sourcePath: "/docs/a.md", ticket: { subject: "Hi", tags: ["x"] } });
      expect(doc?.lastError).toBeUndefined();
      const stored = await repo.getDocumentChunks("default", "a");
      expect(stored).toEqual([chunks[1]!.chunk, chunks[0]!.chunk]);
      const [first, second] = stored.map((c) => c.id);
      expect((await repo.getChunks([second!, "default/missing#0", first!])).map((c) => c.id)).toEqual([second, first]);
      expect((await repo.getVectors([first!])).get(first!)).toEqual(chunks[1]!.vector);
      expect((await repo.existingVectors("default", "a")).get(chunks[0]!.chunk.contentHash)).toEqual(chunks[0]!.vector);
      expect((await repo.allChunkIds()).sort()).toEqual([first, second].sort());
      expect(await repo.vectorEntries([first!, "default/missing#0"])).toEqual([
        { chunkId: first, vector: chunks[1]!.vector, collection: "default", documentId: "a", sourceType: "manual", product: "tv" },
      ]);
    });

    it("returns the stored analyzer terms and keyword documents by key, skipping unknown keys", async () => {
      const a = repoInput("a", 0, "router reset", { language: "en" });
      const e = { ...repoInput("e", 0, "empty body", { collection: "two", sourceType: "ticket" }), titleTokens: ["manual", "reset"], bodyTokens: [] };
      await repo.replaceDocument(repoRecord("a"), [a]);
      await repo.replaceDocument(repoRecord("e", { collection: "two" }), [e]);
      const terms = await repo.getChunkTerms([a.chunk.id, e.chunk.id, "x/y#z"]);
      expect(terms.get(a.chunk.id)).toEqual({ chunkId: a.chunk.id, documentId: "a", sectionPath: ["Intro"], position: 0, titleTokens: ["intro"], bodyTokens: ["router", "reset"], language: "en" });
      expect(terms.get(e.chunk.id)).toMatchObject({ documentId: "e", titleTokens: ["manual", "reset"], bodyTokens: [] });
      // The language lets retrieval keep one script family; a chunk without one has none, not a null.
      expect(terms.get(e.chunk.id)).not.toHaveProperty("language");
      expect(terms.size).toBe(2);
      expect((await repo.getChunkTerms([])).size).toBe(0);
      const docs = await repo.keywordDocs([e.chunk.id, "x/y#z", a.chunk.id]);
      expect(docs.sort((x, y) => x.chunkId.localeCompare(y.chunkId))).toEqual([
        { chunkId: a.chunk.id, titleTokens: ["intro"], bodyTokens: ["router", "reset"], collection: "default", documentId: "a", sourceType: "manual", language: "en", sectionPath: ["Intro"], position: 0 },
        { chunkId: e.chunk.id, titleTokens: ["manual", "reset"], bodyTokens: [], collection: "two", documentId: "e", sourceType: "ticket", sectionPath: ["Intro"], position: 0 },
      ].sort((x, y) => x.chunkId.localeCompare(y.chunkId)));
    });

    it("keeps the same document id in two collections apart", async () => {
      await repo.replaceDocument(repoRecord("a"), [repoInput("a", 0, "router reset")]);
      await repo.replaceDocument(repoRecord("a", { collection: "two" }), [repoInput("a", 0, "router reset", { collection: "two" })]);
      const [one] = await repo.getDocumentChunks("default", "a");
      const [two] = await repo.getDocumentChunks("two", "a");
      expect(one!.id).not.toBe(two!.id);
      expect(await repo.deleteDocument("two", "a")).toBe(true);
      expect(await repo.getChunks([one!.id, two!.id])).toEqual([one]);
    });

    it("replacing with the same chunks is a no-op for chunks and the change log", async () => {
      const chunks = [repoInput("a", 0, "alpha text"), repoInput("a", 1, "beta text")];
      await repo.replaceDocument(repoRecord("a"), chunks);
      const before = (await repo.getDocument("default", "a"))!;
      const seq = await log.lastSeq();
      expect(await repo.replaceDocument(repoRecord("a"), chunks)).toEqual({ added: 0, removed: 0, kept: 2 });
      expect(await log.lastSeq()).toBe(seq);
      expect((await repo.getDocument("default", "a"))?.createdAt).toBe(before.createdAt);
    });

    it("logs only the diff when chunks change", async () => {
      await repo.replaceDocument(repoRecord("a"), [repoInput("a", 0, "alpha"), repoInput("a", 1, "beta"), repoInput("a", 2, "gamma")]);
      const seq = await log.lastSeq();
      const delta = repoInput("a", 1, "delta");
      const result = await repo.replaceDocument(repoRecord("a", { title: "New" }), [repoInput("a", 0, "alpha"), delta, repoInput("a", 2, "gamma")]);
      expect(result).toEqual({ added: 1, removed: 1, kept: 2 });
      expect(await log.since(seq, 100)).toEqual([
        { seq: seq + 1, op: "delete", chunkId: repoInput("a", 1, "beta").chunk.id },
        { seq: seq + 2, op: "add", chunkId: delta.chunk.id },
      ]);
      expect(await repo.getDocument("default", "a")).toMatchObject({ title: "New", chunkCount: 3 });
    });

    it("updates kept chunks in place and logs a changed vector as another add", async () => {
      await repo.replaceDocument(repoRecord("a"), [repoInput("a", 0, "alpha"), repoInput("a", 1, "beta")]);
      const seq = await log.lastSeq();
      const moved = repoInput("a", 0, "beta", { sectionPath: ["Moved"], titleTokens: ["moved"] });
      const revectored = { ...repoInput("a", 1, "alpha"), vector: new Float32Array([9, 9, 9, 9]) };
      expect(await repo.replaceDocument(repoRecord("a"), [moved, revectored])).toEqual({ added: 0, removed: 0, kept: 2 });
      const after = await repo.getDocumentChunks("default", "a");
      expect(after.map((c) => [c.id, c.position])).toEqual([[moved.chunk.id, 0], [revectored.chunk.id, 1]]);
      expect(after[0]!.sectionPath).toEqual(["Moved"]);
      expect((await repo.getChunkTerms([moved.chunk.id])).get(moved.chunk.id)?.titleTokens).toEqual(["moved"]);
      expect((await log.since(seq, 10)).map((c) => [c.op, c.chunkId])).toEqual([["add", revectored.chunk.id]]);
      expect((await repo.getVectors([revectored.chunk.id])).get(revectored.chunk.id)).toEqual(new Float32Array([9, 9, 9, 9]));
    });

    it("keeps the first of chunks with the same content hash", async () => {
      const result = await repo.replaceDocument(repoRecord("a"), [repoInput("a", 0, "same"), repoInput("a", 1, "other"), repoInput("a", 2, "same")]);
      expect(result.added).toBe(2);
      expect((await repo.getDocument("default", "a"))?.chunkCount).toBe(2);
      expect((await repo.getDocumentChunks("default", "a")).map((c) => c.position)).toEqual([0, 1]);
    });

    it("rejects chunks of another document and vectors of the wrong size", async () => {
      await repo.setEmbedderStamp({ id: "test", dimensions: DIMS });
      await expect(repo.replaceDocument(repoRecord("a"), [repoInput("b", 0, "x")])).rejects.toThrow(InvalidInputError);
      const bad = { ...repoInput("a", 0, "x"), vector: new Float32Array(DIMS + 1) };
      await expect(repo.replaceDocument(repoRecord("a"), [bad])).rejects.toThrow(/dimensions/);
      expect(await repo.getDocument("default", "a")).toBeUndefined();
    });

    it("writes a batch of documents in one transaction: all or none", async () => {
      await repo.replaceDocument(repoRecord("a"), [repoInput("a", 0, "router reset")]);
      const seq = await log.lastSeq();
      await expect(repo.replaceDocuments([
        { doc: repoRecord("a"), chunks: [repoInput("a", 0, "router reset twice")] },
        { doc: repoRecord("b"), chunks: [repoInput("b", 0, "router power")] },
        { doc: repoRecord("c"), chunks: [repoInput("other", 0, "wrong document")] },
      ])).rejects.toThrow(/belongs to 'default\/other'/);
      expect((await repo.getDocumentChunks("default", "a")).map((c) => c.text)).toEqual(["router reset"]);
      expect(await repo.getDocument("default", "b")).toBeUndefined();
      expect(await log.lastSeq()).toBe(seq);
      const results = await repo.replaceDocuments([
        { doc: repoRecord("a"), chunks: [repoInput("a", 0, "router reset twice")] },
        { doc: repoRecord("b"), chunks: [repoInput("b", 0, "router power")] },
      ]);
      expect(results).toEqual([{ added: 1, removed: 1, kept: 0 }, { added: 1, removed: 0, kept: 0 }]);
      expect((await log.since(seq, 10)).map((c) => c.op)).toEqual(["delete", "add", "add"]);
    });

    it("deletes a document everywhere", async () => {
      await repo.replaceDocument(repoRecord("a"), [repoInput("a", 0, "router reset"), repoInput("a", 1, "router power")]);
      await repo.replaceDocument(repoRecord("b"), [repoInput("b", 0, "router manual")]);
      const keys = (await repo.getDocumentChunks("default", "a")).map((c) => c.id);
      const seq = await log.lastSeq();
      expect(await repo.deleteDocument("default", "a")).toBe(true);
      expect(await repo.deleteDocument("default", "a")).toBe(false);
      expect(await repo.getDocument("default", "a")).toBeUndefined();
      expect(await repo.getChunks(keys)).toEqual([]);
      expect((await repo.getVectors(keys)).size).toBe(0);
      expect(await repo.keywordDocs(keys)).toEqual([]);
      expect((await repo.existingVectors("default", "a")).size).toBe(0);
      expect((await log.since(seq, 10)).map((c) => [c.op, c.chunkId]).sort()).toEqual(keys.map((k) => ["delete", k]).sort());
    });

    it("records failures without losing previous chunks", async () => {
      await repo.markFailed("default", "new", "parse error", { sourcePath: "/x/new.pdf", sourceType: "ticket" });
      expect(await repo.getDocument("default", "new")).toMatchObject({ status: "failed", lastError: "parse error", chunkCount: 0, sourcePath: "/x/new.pdf", sourceType: "ticket" });
      await repo.replaceDocument(repoRecord("a"), [repoInput("a", 0, "alpha")]);
      await repo.markFailed("default", "a", "boom");
      expect(await repo.getDocument("default", "a")).toMatchObject({ status: "failed", lastError: "boom", chunkCount: 1, title: "Doc a" });
      expect(await repo.getDocumentChunks("default", "a")).toHaveLength(1);
      await repo.replaceDocument(repoRecord("a"), [repoInput("a", 0, "alpha")]);
      expect((await repo.getDocument("default", "a"))?.status).toBe("ready");
      expect((await repo.getDocument("default", "a"))?.lastError).toBeUndefined();
    });

    it("lists and counts documents with filters, order and paging", async () => {
      await repo.replaceDocument(repoRecord("c", { sourcePath: "/m/c.md" }), []);
      await repo.replaceDocument(repoRecord("a", { sourcePath: "/m/a.md", collection: "tv" }), []);
      await repo.replaceDocument(repoRecord("b", { sourcePath: "/t/b.json", sourceType: "ticket" }), []);
      await repo.markFailed("default", "d", "bad");
      const ids = async (q: Parameters<DocumentRepository["listDocuments"]>[0]): Promise<string[]> => (await repo.listDocuments(q)).map((d) => d.id);
      expect(await ids(undefined)).toEqual(["a", "b", "c", "d"]);
      expect(await repo.countDocuments()).toBe(4);
      expect(await ids({ limit: 2, offset: 1 })).toEqual(["b", "c"]);
      expect(await ids({ collection: "tv" })).toEqual(["a"]);
      expect(await ids({ id: "a" })).toEqual(["a"]);
      expect(await repo.countDocuments({ status: "failed" })).toBe(1);
      expect(await repo.countDocuments({ sourceType: "ticket" })).toBe(1);
      expect(await ids({ sourcePathPrefix: "/m/" })).toEqual(["a", "c"]);
      expect(await repo.countDocuments({ sourcePathPrefix: "/m/", collection: "default" })).toBe(1);
      // Title search: a substring, any case, '%' and '_' as plain characters.
      await repo.replaceDocument(repoRecord("e", { title: "Kettle 100%_Descaling Guide" }), []);
      expect(await ids({ titleContains: "descaling" })).toEqual(["e"]);
      expect(await ids({ titleContains: "KETTLE 100%_" })).toEqual(["e"]);
      expect(await ids({ titleContains: "%" })).toEqual(["e"]);
      expect(await ids({ titleContains: "Doc" })).toEqual(["a", "b", "c"]);
      expect(await repo.countDocuments({ titleContains: "doc", collection: "default" })).toBe(2);
      expect(await ids({ collections: ["tv", "default"], limit: 2, offset: 1 })).toEqual(["b", "c"]);
      expect(await ids({ collections: ["tv", "nowhere"] })).toEqual(["a"]);
      expect(await ids({ collections: [] })).toEqual([]);
      expect(await repo.countDocuments({ collections: ["tv"], titleContains: "doc" })).toBe(1);
    });

    it("numbers the change log in order, pages through it, and logs re-embedded chunks as adds", async () => {
      await repo.replaceDocument(repoRecord("a"), [repoInput("a", 0, "one"), repoInput("a", 1, "two")]);
      await repo.replaceDocument(repoRecord("b"), [repoInput("b", 0, "three")]);
      const base = await log.lastSeq() - 3;
      await repo.deleteDocument("default", "a");
      const all = await log.since(base, 100);
      expect(all.map((c) => c.seq - base)).toEqual([1, 2, 3, 4, 5]);
      expect(all.map((c) => c.op)).toEqual(["add", "add", "add", "delete", "delete"]);
      expect((await log.since(base + 2, 2)).map((c) => c.seq - base)).toEqual([3, 4]);
      expect(await log.lastSeq()).toBe(base + 5);
      const key = all[2]!.chunkId;
      expect(await repo.updateVectors([{ chunkId: key, vector: new Float32Array([1, 2, 3, 4]) }, { chunkId: "default/none#0", vector: new Float32Array(4) }])).toBe(1);
      expect(await log.since(base + 5, 10)).toEqual([{ seq: base + 6, op: "add", chunkId: key }]);
      expect((await repo.getVectors([key])).get(key)).toEqual(new Float32Array([1, 2, 3, 4]));
    });

    it("changes its read version (when it has one) with every chunk write, and only then", async () => {
      const version = repo.readVersion?.bind(repo);
      if (!version) return; // optional: without it serving reads always go to the store
      await repo.replaceDocument(repoRecord("a"), [repoInput("a", 0, "alpha")]);
      const v1 = await version();
      await repo.getChunks([repoInput("a", 0, "alpha").chunk.id]);
      expect(await version()).toBe(v1);
      await repo.replaceDocument(repoRecord("a"), [repoInput("a", 0, "alpha", { sectionPath: ["Moved"] })]);
      const v2 = await version();
      expect(v2).not.toBe(v1);
      await repo.deleteDocument("default", "a");
      expect(await version()).not.toBe(v2);
    });

    it("keeps the audit log and the embedder stamp", async () => {
      expect(await repo.embedderStamp()).toBeUndefined();
      await repo.setEmbedderStamp({ id: "local-hash-v1", dimensions: DIMS });
      expect(await repo.embedderStamp()).toEqual({ id: "local-hash-v1", dimensions: DIMS });
      await repo.recordAudit({ at: "2026-01-01T00:00:00.000Z", keyName: "admin", action: "delete", collection: "one", documentId: "a" });
      await repo.recordAudit({ at: "2026-01-02T00:00:00.000Z", keyName: "admin", action: "cancel", collection: "two", documentId: "b", count: 2, requestId: "r1" });
      expect((await repo.listAudit()).map((e) => e.documentId)).toEqual(["b", "a"]);
      expect(await repo.listAudit({ collections: ["one"] })).toEqual([{ at: "2026-01-01T00:00:00.000Z", keyName: "admin", action: "delete", collection: "one", documentId: "a" }]);
      expect(await repo.listAudit({ limit: 1 })).toHaveLength(1);
    });
  });
}
