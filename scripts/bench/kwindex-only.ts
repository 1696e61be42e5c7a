import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ingestIntoEngine } from "../../ingest/ingest-engine.js";
import type { Config } from "../../src/config.js";
import { openEngine } from "../../src/container.js";
import { corpusFiles, writeCorpus } from "./corpus-files.js";
import { benchKeywordIndex, formatKeywordIndex, type KeywordIndexBenchResult } from "./kwindex-bench.js";
import { gitCommit, machineInfo } from "./machine.js";
import { label } from "./report.js";
import type { SyntheticCorpus } from "./synthetic-corpus.js";

/**
 * `npm run bench -- --only kwindex [--sizes …] [--queries N]`: the keyword index comparison alone (corpus, ingest,
 * then the in-memory index beside SQLite FTS5 at each size), without the HTTP, reference and PDF sections.
 */
export async function keywordIndexOnly(
  config: Config, corpus: SyntheticCorpus, args: { sizes: number[]; queries: number; json?: string; keep: boolean }, root: string, log: (m: string) => void,
): Promise<number> {
  const workDir = mkdtempSync(join(tmpdir(), "groundline-kwbench-"));
  try {
    const files = writeCorpus(corpus, join(workDir, "corpus"), args.sizes, { maxTokens: config.CHUNK_MAX_TOKENS, overlapTokens: config.CHUNK_OVERLAP_TOKENS });
    const results: KeywordIndexBenchResult[] = [];
    for (const plan of files.sizes) {
      const engine = await openEngine({ ...config, LOG_LEVEL: "silent", DATA_DIR: join(workDir, `data-${plan.target}`) });
      try {
        log(`${label(plan.target)}: ingesting ${plan.documents} documents`);
        await ingestIntoEngine(engine, corpusFiles(files.dir, plan.documents));
        const result = await benchKeywordIndex(engine, corpus.questions(args.queries, plan.documents), workDir);
        process.stdout.write(`${formatKeywordIndex(result)}\n`);
        results.push(result);
      } finally {
        await engine.close();
      }
    }
    const date = new Date().toISOString();
    const out = args.json ?? join(root, "bench-results", `bench-kwindex-${date.slice(0, 10)}.json`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify({ date, commit: gitCommit(root), machine: machineInfo(), keywordIndex: results }, null, 2)}\n`);
    log(`results written to ${out}`);
    return 0;
  } finally {
    if (args.keep) log(`kept ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
}
