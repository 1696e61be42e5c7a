import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/adapters/sqlite-store.js";
import { storeChunk as chunk, storeRecord as record, useTempStore } from "../support/store-fixtures.js";

const temp = useTempStore("store-batch-");

describe("writeBatch", () => {
  it("commits several documents together, visible to other connections only afterwards", () => {
    const reader = openSqliteStore(temp.store.path, { readonly: true });
    try {
      const seen = temp.store.writeBatch(() => {
        temp.store.replaceDocument(record("a"), [chunk("a", "router reset")]);
        temp.store.replaceDocument(record("b"), [chunk("b", "router power")]);
        return reader.countDocuments();
      });
      expect(seen).toBe(0);
      expect(reader.countDocuments()).toBe(2);
      expect(temp.store.searchBm25(["router"], 5)).toHaveLength(2);
      expect(temp.store.changesSince(0, 10).map((c) => c.op)).toEqual(["add", "add"]);
    } finally {
      reader.close();
    }
  });

  it("stores nothing of the batch when it throws, not even documents whose write returned", () => {
    temp.store.replaceDocument(record("a"), [chunk("a", "router reset")]);
    const seq = temp.store.lastSeq();
    expect(() =>
      temp.store.writeBatch(() => {
        temp.store.replaceDocument(record("a"), [chunk("a", "router reset twice")]);
        temp.store.replaceDocument(record("b"), [chunk("b", "router power")]);
        temp.store.replaceDocument(record("c"), [chunk("other", "wrong document")]);
      }),
    ).toThrow(/belongs to 'one\/other'/);
    expect(temp.store.getDocumentChunks("one", "a").map((c) => c.text)).toEqual(["router reset"]);
    expect(temp.store.getDocument("one", "b")).toBeUndefined();
    expect(temp.store.lastSeq()).toBe(seq);
    expect(temp.store.searchBm25(["power"], 5)).toEqual([]);
  });
});
