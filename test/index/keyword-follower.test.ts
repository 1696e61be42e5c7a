import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MemoryKeywordIndex } from "../../src/adapters/memory-keyword-index.js";
import { KeywordIndexFollower, type KeywordSnapshots } from "../../src/index/keyword-follower.js";
import type { ChangeLog, ChunkChange } from "../../src/ports/change-log.js";
import type { KeywordDoc } from "../../src/ports/keyword-index.js";
import { randomDocs, referenceSearch, rng } from "../ports/keyword-reference.js";

const dir = mkdtempSync(join(tmpdir(), "kwfollow-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A document repository and its change log in memory: a test double implementing the ports, nothing mocked. */
class MemoryRepo implements ChangeLog {
  readonly docs = new Map<string, KeywordDoc>();
  readonly log: ChunkChange[] = [];
  loads = 0;

  add(docs: readonly KeywordDoc[]): void {
    for (const d of docs) {
      this.docs.set(d.chunkId, d);
      this.log.push({ seq: this.log.length + 1, op: "add", chunkId: d.chunkId });
    }
  }

  delete(ids: readonly string[]): void {
    for (const id of ids) {
      this.docs.delete(id);
      this.log.push({ seq: this.log.length + 1, op: "delete", chunkId: id });
    }
  }

  async since(seq: number, limit: number): Promise<ChunkChange[]> {
    return this.log.filter((c) => c.seq > seq).slice(0, limit);
  }

  async lastSeq(): Promise<number> {
    return this.log.length;
  }

  keywordDocs = async (ids: readonly string[]): Promise<KeywordDoc[]> => {
    this.loads += ids.length;
    return ids.flatMap((id) => (this.docs.has(id) ? [this.docs.get(id)!] : []));
  };
}

function fileSnapshots(file: string, pipeline = "p1"): KeywordSnapshots<MemoryKeywordIndex> {
  return {
    load: () => MemoryKeywordIndex.load(file, pipeline),
    save: async (index, seq) => { await index.save(file, pipeline, seq); },
    empty: () => new MemoryKeywordIndex(),
  };
}

async function expectServes(index: MemoryKeywordIndex, repo: MemoryRepo): Promise<void> {
  const docs = [...repo.docs.values()];
  for (const terms of [["w0"], ["w1", "w4"], ["w3", "w9", "w20"]]) {
    const got = await index.search(terms, 20);
    expect(got.map((h) => h.chunkId)).toEqual(referenceSearch(docs, terms).slice(0, 20).map((h) => h.chunkId));
  }
  expect(index.size).toBe(repo.docs.size);
}

describe("KeywordIndexFollower", () => {
  it("applies adds, deletes and re-adds from the change log, in batches", async () => {
    const repo = new MemoryRepo();
    const docs = randomDocs(rng(1), 300);
    repo.add(docs);
    const reasons: string[] = [];
    const follower = await KeywordIndexFollower.open({
      log: repo, loadDocs: repo.keywordDocs, snapshots: fileSnapshots(join(dir, "a.kwi")), batch: 64, onRebuild: (r) => reasons.push(r),
    });
    expect(reasons).toEqual(["no snapshot"]);
    expect(follower.position).toBe(300);
    await expectServes(follower.index, repo);

    repo.delete(["c0", "c1", "c2"]);
    const changed = { ...docs[5]!, bodyTokens: ["w0", "w0", "w0"] };
    repo.add([changed, docs[0]!]);
    expect(await follower.catchUp()).toBe(5);
    await expectServes(follower.index, repo);
    expect(follower.index.has("c0")).toBe(true);
    expect(follower.index.has("c1")).toBe(false);
    expect(await follower.catchUp()).toBe(0);
  });

  it("never loads a chunk that was added and deleted within one batch, and drops one deleted after it was logged", async () => {
    const repo = new MemoryRepo();
    const docs = randomDocs(rng(2), 50);
    repo.add(docs);
    repo.delete(["c3"]);
    const follower = await KeywordIndexFollower.open({ log: repo, loadDocs: repo.keywordDocs, snapshots: fileSnapshots(join(dir, "b.kwi")) });
    expect(repo.loads).toBe(49);
    // Logged as added, but gone from the repository by the time the follower reads it (its delete not yet read).
    repo.add([{ ...docs[3]!, chunkId: "late" }]);
    repo.docs.delete("late");
    await follower.catchUp();
    expect(follower.index.has("late")).toBe(false);
  });

  it("opens from its snapshot and replays only what came after it", async () => {
    const repo = new MemoryRepo();
    repo.add(randomDocs(rng(3), 200));
    const file = join(dir, "c.kwi");
    const first = await KeywordIndexFollower.open({ log: repo, loadDocs: repo.keywordDocs, snapshots: fileSnapshots(file) });
    await first.save();
    repo.delete(["c7", "c8"]);
    repo.add(randomDocs(rng(4), 10, "n"));
    repo.loads = 0;
    const second = await KeywordIndexFollower.open({ log: repo, loadDocs: repo.keywordDocs, snapshots: fileSnapshots(file) });
    expect(repo.loads).toBe(10);
    expect(second.position).toBe(212);
    await expectServes(second.index, repo);
  });

  it("rebuilds from the log when the snapshot is corrupt, of another pipeline, or ahead of the log", async () => {
    const repo = new MemoryRepo();
    repo.add(randomDocs(rng(5), 80));
    const file = join(dir, "d.kwi");
    await (await KeywordIndexFollower.open({ log: repo, loadDocs: repo.keywordDocs, snapshots: fileSnapshots(file) })).save();
    const reasons: string[] = [];
    const open = (snapshots: KeywordSnapshots<MemoryKeywordIndex>, log: MemoryRepo = repo): Promise<KeywordIndexFollower<MemoryKeywordIndex>> =>
      KeywordIndexFollower.open({ log, loadDocs: log.keywordDocs, snapshots, onRebuild: (r) => reasons.push(r) });

    await expectServes((await open(fileSnapshots(file, "p2"))).index, repo);
    const restored = new MemoryRepo();
    restored.add(randomDocs(rng(6), 20));
    await expectServes((await open(fileSnapshots(file), restored)).index, restored);
    writeFileSync(file, "garbage");
    await expectServes((await open(fileSnapshots(file))).index, repo);
    expect(reasons).toEqual([
      "snapshot of pipeline 'p1', expected 'p2'", "snapshot seq 80 is ahead of the change log (20)", "not a keyword index snapshot",
    ]);
  });

  it("catches up in slices, tracks unsaved changes, and rebuilds from the log", async () => {
    const repo = new MemoryRepo();
    repo.add(randomDocs(rng(9), 40));
    const file = join(dir, "e.kwi");
    const follower = await KeywordIndexFollower.open({ log: repo, loadDocs: repo.keywordDocs, snapshots: fileSnapshots(file) });
    expect(follower.dirty).toBe(true);
    await follower.saveIfDirty(41);
    expect(follower.dirty).toBe(true);
    await follower.saveIfDirty(40);
    expect(follower.dirty).toBe(false);
    repo.add(randomDocs(rng(10), 30, "s"));
    expect(await follower.catchUp(10)).toBe(10);
    expect(follower.position).toBe(50);
    expect(follower.index.size).toBe(50);
    expect(await follower.catchUp()).toBe(20);
    const before = follower.index;
    repo.delete(["s0"]);
    await follower.rebuild();
    expect(follower.index).not.toBe(before);
    expect(follower.position).toBe(71);
    await expectServes(follower.index, repo);
  });
});
