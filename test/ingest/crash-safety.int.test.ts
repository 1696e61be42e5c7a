import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config.js";
import { openEngine } from "../../src/container.js";
import { ingestPaths } from "../../ingest/ingest-files.js";

const WORDS = "hub remote pairing firmware update reset router signal battery button screen volume channel cable power light".split(" ");

function makeDocs(dir: string, count: number): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const paras = Array.from({ length: 30 }, (_, p) =>
      Array.from({ length: 12 }, (_, s) => `Step ${s} of topic ${i}.${p} uses the ${WORDS[(i + p + s) % WORDS.length]} and the ${WORDS[(i * 7 + s) % WORDS.length]} carefully.`).join(" "),
    );
    writeFileSync(join(dir, `doc-${String(i).padStart(3, "0")}.md`), `# Document ${i}\n\n${paras.join("\n\n")}\n`);
  }
}

function runChildUntil(dataDir: string, docsDir: string, killAfter: number): Promise<{ killed: boolean; progress: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/support/ingest-child.ts", dataDir, docsDir], { stdio: ["ignore", "pipe", "inherit"] });
    let progress = 0;
    let killed = false;
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      for (const m of text.matchAll(/progress (\d+)/g)) progress = Number(m[1]);
      if (!killed && progress >= killAfter) {
        killed = true;
        child.kill("SIGKILL");
      }
    });
    child.on("error", reject);
    child.on("exit", () => resolve({ killed, progress }));
  });
}

describe("crash safety", () => {
  it("a worker SIGKILLed mid-ingest leaves a consistent, queryable store without duplicates", async () => {
    const root = mkdtempSync(join(tmpdir(), "groundline-crash-"));
    const dataDir = join(root, "data");
    const docsDir = join(root, "docs");
    makeDocs(docsDir, 40);
    try {
      const run = await runChildUntil(dataDir, docsDir, 7);
      expect(run.killed).toBe(true);
      const config = loadConfig({ DATA_DIR: dataDir });
      let engine = await openEngine(config);
      const docs = await engine.store.listDocuments({ limit: 1000 });
      expect(docs.length).toBeGreaterThan(0);
      expect(docs.length).toBeLessThan(40);
      for (const d of docs) {
        const chunks = await engine.store.getDocumentChunks(d.collection, d.id);
        expect(chunks.length).toBe(d.chunkCount);
        expect(new Set(chunks.map((c) => c.contentHash)).size).toBe(chunks.length);
      }
      expect(engine.vectors().size).toBe((await engine.store.allChunkIds()).length);
      expect((await engine.keywords.search(["remot"], 3)).length).toBeGreaterThan(0);

      const summary = await ingestPaths({ store: engine.store, embedder: engine.embedder }, [docsDir], {
        settings: engine.ingestSettings(),
        maxBytes: 10_000_000,
      });
      expect(summary.failed).toBe(0);
      expect(summary.unchanged).toBe(docs.length);
      await engine.indexes.catchUp();
      await engine.close();
      engine = await openEngine(config);
      const labels = await engine.store.allChunkIds();
      const total = (await engine.store.listDocuments({ limit: 1000 })).reduce((s, d) => s + d.chunkCount, 0);
      expect(await engine.store.countDocuments()).toBe(40);
      expect(labels.length).toBe(total);
      expect(engine.vectors().size).toBe(total);
      await engine.close();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
