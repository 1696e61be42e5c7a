import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadConfig } from "../../src/config.js";
import { openEngine } from "../../src/container.js";
import { corpusFiles, writeCorpus } from "./corpus-files.js";
import { benchIngest } from "./ingest-bench.js";
import { SyntheticCorpus } from "./synthetic-corpus.js";
import { loadVocabulary } from "./vocabulary.js";

/**
 * Builds a bench work directory as `npm run bench -- --sizes SIZE --keep` leaves it (corpus, `data-SIZE`, the
 * question files, `empty`) without the in-process sections, for `serve-only.ts` and `profile-answer.ts`: the same
 * corpus and questions as the bench at the same seed.
 *
 * usage: tsx scripts/bench/work-dir.ts DIR SIZE [--seed N] [--questions N]
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { seed: { type: "string", default: "42" }, questions: { type: "string", default: "1000" } },
});
const [workDir, size] = positionals;
if (!workDir || !size || !/^\d+$/.test(size)) {
  process.stderr.write("usage: tsx scripts/bench/work-dir.ts DIR SIZE [--seed N] [--questions N]\n");
  process.exit(2);
}
const log = (m: string): void => void process.stderr.write(`[work-dir] ${m}\n`);
const config = { ...loadConfig(process.env), LOG_LEVEL: "silent" as const };
const vocabulary = loadVocabulary(join(ROOT, "corpora"));
const corpus = new SyntheticCorpus({ seed: Number(values.seed), vocabulary: vocabulary.words });
const files = writeCorpus(corpus, join(workDir, "corpus"), [Number(size)], { maxTokens: config.CHUNK_MAX_TOKENS, overlapTokens: config.CHUNK_OVERLAP_TOKENS });
const plan = files.sizes[0]!;
const questions = corpus.questions(Number(values.questions), plan.documents);
writeFileSync(join(workDir, `questions-${size}.json`), JSON.stringify(questions));
writeFileSync(join(workDir, `questions-${size}-warm.json`), JSON.stringify(questions.slice(0, 50)));
mkdirSync(join(workDir, "empty"), { recursive: true });
const engine = await openEngine({ ...config, DATA_DIR: join(workDir, `data-${size}`) });
try {
  const ingest = await benchIngest(engine, corpusFiles(files.dir, plan.documents), log);
  log(`${ingest.chunks} chunks at ${ingest.chunksPerSecond} chunks/s into ${join(workDir, `data-${size}`)}`);
} finally {
  await engine.close();
}
