import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/adapters/sqlite-store.js";
import { storeChunk as chunk, storeRecord as record, useTempStore } from "../support/store-fixtures.js";

const temp = useTempStore("store-caches-", (s) => {
  s.replaceDocument(record("a", "one"), [chunk("a", "router reset", "one")]);
  s.replaceDocument(record("b", "two"), [chunk("b", "router power", "two")]);
});

describe("stored analyzer tokens", () => {
  it("returns each chunk's title and body tokens as ingested, skipping unknown labels", () => {
    const [a] = temp.store.getDocumentChunks("one", "a");
    temp.store.replaceDocument(record("e", "one"), [{ ...chunk("e", "empty body", "one"), titleTokens: ["manual", "reset"], bodyTokens: [] }]);
    const [e] = temp.store.getDocumentChunks("one", "e");
    const terms = temp.store.getChunkTerms([a!.label, e!.label, 999]);
    expect(terms.get(a!.label)).toEqual({ label: a!.label, documentId: "a", sectionPath: a!.sectionPath, position: a!.position, titleTokens: [], bodyTokens: ["router", "reset"] });
    expect(terms.get(e!.label)).toMatchObject({ documentId: "e", titleTokens: ["manual", "reset"], bodyTokens: [] });
    expect(terms.has(999)).toBe(false);
    expect(temp.store.getChunkTerms([]).size).toBe(0);
  });
});

describe("store caches follow every write", () => {
  it("label filters see the same id in another collection as another document, and other connections' writes", () => {
    const [a] = temp.store.getDocumentChunks("one", "a");
    expect(temp.store.labelFilter({ collections: ["one"] })!(a!.label)).toBe(true);
    temp.store.replaceDocument(record("a", "two"), [chunk("a", "router reset", "two")]);
    const [a2] = temp.store.getDocumentChunks("two", "a");
    expect(a2!.label).not.toBe(a!.label);
    expect(temp.store.labelFilter({ collections: ["one"] })!(a!.label)).toBe(true);
    expect(temp.store.labelFilter({ collections: ["one"] })!(a2!.label)).toBe(false);
    expect(temp.store.labelFilter({ collections: ["two"] })!(a2!.label)).toBe(true);

    const other = openSqliteStore(temp.store.path);
    try {
      other.replaceDocument(record("c", "one"), [chunk("c", "router cable", "one")]);
      const [c] = other.getDocumentChunks("one", "c");
      expect(temp.store.labelFilter({ collections: ["one"] })!(c!.label)).toBe(true);
    } finally {
      other.close();
    }
  });

  it("chunk counts and term frequencies are exact after deletes, here and from another connection", () => {
    expect(temp.store.termStats(["router"])).toEqual({ chunks: 2, df: new Map([["router", 2]]) });
    temp.store.deleteDocument("one", "a");
    expect(temp.store.termStats(["router"])).toEqual({ chunks: 1, df: new Map([["router", 1]]) });
    const other = openSqliteStore(temp.store.path);
    try {
      other.deleteDocument("two", "b");
    } finally {
      other.close();
    }
    expect(temp.store.termStats(["router"])).toEqual({ chunks: 0, df: new Map([["router", 0]]) });
  });
});
