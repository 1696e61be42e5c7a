import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ingestIntoEngine } from "../../ingest/ingest-engine.js";
import { loadConfig } from "../../src/config.js";
import { openEngine } from "../../src/container.js";
import { dropPgSchema } from "../../src/adapters/pg-schema.js";
import { timePgStatements } from "../../src/adapters/pg-statement-timing.js";
import { corpusFiles, writeCorpus } from "./corpus-files.js";
import { SyntheticCorpus } from "./synthetic-corpus.js";
import { loadVocabulary } from "./vocabulary.js";

// Where PostgreSQL ingest time goes: every statement's wall time summed by its first words (a profiling aid).
const size = Number(process.argv[2] ?? 10000);
const timing = timePgStatements();
const config = loadConfig();
const vocabulary = loadVocabulary(join(process.cwd(), "corpora"));
const work = mkdtempSync(join(tmpdir(), "pgprof-"));
const files = writeCorpus(new SyntheticCorpus({ seed: 42, vocabulary: vocabulary.words }), join(work, "corpus"), [size],
  { maxTokens: config.CHUNK_MAX_TOKENS, overlapTokens: config.CHUNK_OVERLAP_TOKENS });
const schema = `gl_prof_${process.pid}`;
const url = "postgres://postgres@127.0.0.1:5432/postgres";
const cfg = { ...config, LOG_LEVEL: "silent" as const, DATA_DIR: join(work, "data"), DATABASE_URL: url, DATABASE_SCHEMA: schema, REDIS_URL: "redis://127.0.0.1:6379" };
const sqlite = process.argv[3] === "sqlite";
const { DATABASE_URL: _u, ...base } = cfg;
const engine = await openEngine(sqlite ? { ...base, DATA_DIR: join(work, "sq") } : cfg);
try {
  const docs = files.sizes[0]!.documents;
  const all = corpusFiles(files.dir, docs);
  const t0 = performance.now();
  let chunks = 0;
  for (let i = 0; i < all.length; i += Math.ceil(all.length / 5)) {
    const t = performance.now();
    const s = await ingestIntoEngine(engine, all.slice(i, i + Math.ceil(all.length / 5)));
    chunks += s.chunks;
    process.stderr.write(`${chunks} chunks, slice ${(s.chunks / ((performance.now() - t) / 1000)).toFixed(0)} chunks/s\n`);
  }
  const total = (performance.now() - t0) / 1000;
  process.stderr.write(`${chunks} chunks in ${total.toFixed(1)} s = ${(chunks / total).toFixed(0)} chunks/s\n`);
  const rows = [...timing.read()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15);
  for (const [k, v] of rows) process.stderr.write(`${(v.ms / 1000).toFixed(1).padStart(7)} s ${String(v.n).padStart(7)}x  ${k}\n`);
} finally {
  await engine.close();
  if (!sqlite) await dropPgSchema(url, schema);
  rmSync(work, { recursive: true, force: true });
}
