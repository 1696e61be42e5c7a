import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChunkKeyTable, type KeyedMeta } from "../../src/adapters/hnsw-keys.js";
import { decodeKeyTable, encodeKeyTable } from "../../src/adapters/hnsw-keys-file.js";
import type { ChunkFilter } from "../../src/domain/chunk.js";

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "hnsw-keys-")); });
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

const meta = (i: number): KeyedMeta => ({
  chunkId: `c/doc-${i % 3}#${i}`,
  collection: i % 2 === 0 ? "even" : "odd",
  documentId: `doc-${i % 3}`,
  sourceType: i % 5 === 0 ? "ticket" : "manual",
  ...(i % 4 === 0 ? { product: `p${i % 8}` } : {}),
  ...(i % 3 === 0 ? { language: "de" } : {}),
});

const FILTERS: ChunkFilter[] = [
  { collections: ["even"] },
  { products: ["p4"] },
  { languages: ["de"], sourceTypes: ["manual"] },
  { documentIds: ["doc-1"] },
  { ticketCollections: ["odd"] },
];

/** Every filter's allowed chunk keys, sorted (what search sees of the table). */
function allowedKeys(table: ChunkKeyTable): string[][] {
  return FILTERS.map((f) => [...table.allowedLabels(f)].map((l) => table.keyOf(l)!).sort());
}

describe("ChunkKeyTable", () => {
  it("keeps keys, labels and filter fields through save and load, deletes and updates included", async () => {
    const table = new ChunkKeyTable();
    for (let i = 0; i < 40; i++) table.assign(meta(i));
    for (let i = 0; i < 40; i += 7) table.delete(meta(i).chunkId);
    table.update(table.labelOf(meta(3).chunkId)!, { ...meta(3), collection: "even", product: "p4" });
    const before = allowedKeys(table);
    expect(before[0]).toContain(meta(3).chunkId);
    const file = path.join(dir, "t.keys.json");
    await table.save(file);
    const loaded = await ChunkKeyTable.load(file);
    expect(loaded.size).toBe(table.size);
    expect(loaded.chunkIds()).toEqual(table.chunkIds());
    for (const id of table.chunkIds()) {
      const label = loaded.labelOf(id)!;
      expect(label).toBe(table.labelOf(id));
      expect(loaded.keyOf(label)).toBe(id);
      expect(loaded.fieldsOf(label)).toEqual(table.fieldsOf(label));
    }
    expect(loaded.labelOf(meta(7).chunkId)).toBeUndefined();
    expect(allowedKeys(loaded)).toEqual(before);
    // Labels are never reused: a chunk added after the load gets one past every label ever assigned.
    expect(loaded.assign(meta(7))).toBe(40);
  });

  it("gives each filter field back as assigned, absent product and language included", () => {
    const table = new ChunkKeyTable();
    const a = table.assign(meta(4));
    const b = table.assign(meta(1));
    const { chunkId: _a, ...fieldsA } = meta(4);
    const { chunkId: _b, ...fieldsB } = meta(1);
    expect(table.fieldsOf(a)).toEqual(fieldsA);
    expect(table.fieldsOf(b)).toEqual(fieldsB);
  });

  it("reads version 1 tables (JSON arrays, as saved before) like the version it writes", async () => {
    const table = new ChunkKeyTable();
    for (let i = 0; i < 12; i++) table.assign(meta(i));
    table.delete(meta(5).chunkId);
    const file = path.join(dir, "t.keys.json");
    await table.save(file);
    const stored = decodeKeyTable(fs.readFileSync(file, "utf8"));
    const v1 = { version: 1, nextLabel: stored.nextLabel, strings: stored.strings, chunkIds: stored.chunkIds, rows: Array.from(stored.rows) };
    fs.writeFileSync(file, JSON.stringify(v1));
    const loaded = await ChunkKeyTable.load(file);
    expect(loaded.chunkIds()).toEqual(table.chunkIds());
    expect(allowedKeys(loaded)).toEqual(allowedKeys(table));
    // Packed keys: as loaded, then rebuilt after a change.
    expect(loaded.packedKeys().text).toBe(table.chunkIds().join(""));
    loaded.delete(meta(0).chunkId);
    const packed = loaded.packedKeys();
    expect(packed.text).toBe(table.chunkIds().slice(1).join(""));
    expect([...packed.lengths]).toEqual(table.chunkIds().slice(1).map((k) => k.length));
  });

  it("refuses packed keys whose lengths do not add up to the keys", async () => {
    const table = new ChunkKeyTable();
    for (let i = 0; i < 3; i++) table.assign(meta(i));
    const file = path.join(dir, "t.keys.json");
    await table.save(file);
    const saved = JSON.parse(fs.readFileSync(file, "utf8")) as { keys: string };
    fs.writeFileSync(file, JSON.stringify({ ...saved, keys: `${saved.keys}x` }));
    await expect(ChunkKeyTable.load(file)).rejects.toThrow(/lengths do not match/);
  });

  it("refuses tables with repeated labels or keys, or string references it lacks", async () => {
    const table = new ChunkKeyTable();
    for (let i = 0; i < 4; i++) table.assign(meta(i));
    const file = path.join(dir, "t.keys.json");
    await table.save(file);
    const stored = decodeKeyTable(fs.readFileSync(file, "utf8"));
    const saved = { nextLabel: stored.nextLabel, strings: [...stored.strings], chunkIds: [...stored.chunkIds], rows: Int32Array.from(stored.rows as ArrayLike<number>) };
    const write = (patch: Partial<typeof saved>): void => fs.writeFileSync(file, encodeKeyTable({ ...saved, ...patch }));
    write({ rows: saved.rows.map((v, i) => (i === 6 ? saved.rows[0]! : v)) });
    await expect(ChunkKeyTable.load(file)).rejects.toThrow(/distinct/);
    write({ chunkIds: saved.chunkIds.map((id, i) => (i === 1 ? saved.chunkIds[0]! : id)) });
    await expect(ChunkKeyTable.load(file)).rejects.toThrow(/twice/);
    write({ rows: saved.rows.map((v, i) => (i === 2 ? saved.strings.length : v)) });
    await expect(ChunkKeyTable.load(file)).rejects.toThrow(/string it lacks/);
    write({ rows: saved.rows.map((v, i) => (i === 0 ? 99 : v)) });
    await expect(ChunkKeyTable.load(file)).rejects.toThrow(/below nextLabel/);
  });
});
