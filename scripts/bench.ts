import { errorMessage } from "../src/errors.js";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { runCli, UsageError } from "../src/cli/run-cli.js";
import type { Config } from "../src/config.js";
import { openEngine } from "../src/container.js";
import { writeCorpus, type SizePlan } from "./bench/corpus-files.js";
import { benchPdf, formatPdf } from "./bench/pdf-bench.js";
import { benchEventLoop, formatEventLoop } from "./bench/eventloop-bench.js";
import { evalSetRecall } from "./bench/eval-recall.js";
import { keywordIndexOnly } from "./bench/kwindex-only.js";
import { storeBench } from "./bench/store-bench.js";
import { machineInfo, gitCommit } from "./bench/machine.js";
import { computeRatios, evaluateTargets, formatReport, label, type BenchReport, type SizeResult } from "./bench/report.js";
import { benchSize, type SizeRunOptions } from "./bench/run-size.js";
import { SyntheticCorpus } from "./bench/synthetic-corpus.js";
import { loadVocabulary } from "./bench/vocabulary.js";

const USAGE =
  "usage: npm run bench -- [--only eventloop|kwindex] [--sizes 10000,100000] [--with-1m] [--json FILE] [--queries N] [--http-questions N] [--http-seconds S] [--http-processes N] [--recall-sets DIR,DIR] [--no-reference] [--no-http] [--seed N] [--keep]\n       npm run bench -- --store postgres [--sizes 10000] [--queries N] [--propagation N] [--json FILE]: SQLite and PostgreSQL side by side";

/** When the run began, for the elapsed time in progress lines (declared before the run's top-level await). */
const started = performance.now();

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * `npm run bench`: ingest, retrieval, HTTP, footprint and the LangChain reference on a deterministic synthetic
 * corpus at each size, side by side; prints a table with the issue's targets and writes the JSON results.
 */
await runCli(async (config, argv) => {
  const args = parse(argv);
  if (args.only === "eventloop") return eventLoopOnly(args);
  const vocabulary = loadVocabulary(join(ROOT, "corpora"));
  if (vocabulary.note) log(`warning: ${vocabulary.note}`);
  if (args.store === "postgres") {
    return storeBench(config, new SyntheticCorpus({ seed: args.seed, vocabulary: vocabulary.words }), args, ROOT, log);
  }
  if (args.only === "kwindex") return keywordIndexOnly(config, new SyntheticCorpus({ seed: args.seed, vocabulary: vocabulary.words }), args, ROOT, log);
  const workDir = mkdtempSync(join(tmpdir(), "groundline-bench-"));
  const benchConfig: Config = { ...config, LOG_LEVEL: "silent" };
  try {
    const corpus = new SyntheticCorpus({ seed: args.seed, vocabulary: vocabulary.words });
    const files = writeCorpus(corpus, join(workDir, "corpus"), args.sizes, { maxTokens: config.CHUNK_MAX_TOKENS, overlapTokens: config.CHUNK_OVERLAP_TOKENS });
    log(`corpus: ${files.sizes.map((s) => `${label(s.target)} = ${s.documents} documents`).join(", ")} (${files.seconds.toFixed(1)} s, ${vocabulary.words.length} words from ${vocabulary.source})`);

    const pdfEngine = await openEngine({ ...benchConfig, DATA_DIR: join(workDir, "pdf") });
    // First in the process, so that the cold figure is the first PDF pdf.js ever sees here.
    const pdf = await benchPdf(pdfEngine, corpus).finally(() => pdfEngine.close());
    log(formatPdf(pdf));
    // A failure here (an upload refused under heavy load) must not cost the sizes' figures, which take far longer.
    const eventLoop = await benchEventLoop(log).catch((err: unknown) => {
      const cause = err instanceof Error && err.cause !== undefined ? ` (${errorMessage(err.cause)})` : "";
      log(`event loop section failed: ${errorMessage(err)}${cause}; continuing without it`);
      return undefined;
    });
    if (eventLoop) log(formatEventLoop(eventLoop));

    const emptyDir = join(workDir, "empty");
    mkdirSync(emptyDir);
    const sizes: SizeResult[] = [];
    for (const plan of files.sizes) {
      sizes.push(await benchSize({ config: benchConfig, corpus, corpusDir: files.dir, plan, workDir, emptyDir, options: args, log }));
      if (!args.keep) rmSync(join(workDir, `data-${plan.target}`), { recursive: true, force: true });
    }
    const ratios = computeRatios(sizes);
    // Beside the synthetic curve: recall at the configured M and ef on the evaluation sets' own chunk vectors.
    const evalRecall = args.recallSets.length > 0
      ? await evalSetRecall(benchConfig, args.recallSets, { ms: [config.HNSW_M], efs: [config.HNSW_EF_SEARCH], k: 10 })
      : undefined;
    const report: BenchReport = {
      date: new Date().toISOString(),
      commit: gitCommit(ROOT),
      machine: machineInfo(),
      settings: settingsOf(config),
      vocabulary: { source: vocabulary.source, words: vocabulary.words.length, ...(vocabulary.note ? { note: vocabulary.note } : {}) },
      seed: args.seed,
      pdf,
      ...(eventLoop ? { eventLoop } : {}),
      sizes,
      ...(evalRecall ? { evalRecall } : {}),
      targets: evaluateTargets(sizes, pdf, ratios, evalRecall),
      ratios,
      notes: notesFor(files.sizes),
    };
    process.stdout.write(`${formatReport(report)}\n`);
    const out = args.json ?? join(ROOT, "bench-results", `bench-${report.date.slice(0, 10)}.json`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    log(`results written to ${out}`);
    return 0;
  } finally {
    if (args.keep) log(`kept ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
});

export interface BenchArgs extends SizeRunOptions {
  /**
   * Run one section alone: "eventloop" (the API's event-loop delay while large uploads are ingested) or "kwindex"
   * (the in-memory keyword index beside SQLite FTS5 at each size).
   */
  only?: "eventloop" | "kwindex";
  sizes: number[];
  json?: string;
  seed: number;
  keep: boolean;
  /** Evaluation sets whose chunk vectors HNSW recall is also measured on (default: ../shared/eval's JSONL sets, when present). */
  recallSets: string[];
  /** `postgres`: the store comparison (SQLite beside PostgreSQL, with the propagation delay) instead of the full run. */
  store?: "postgres";
  /** Writes timed from commit to a serving process (the store comparison's propagation figure). */
  propagation: number;
}

function parse(argv: string[]): BenchArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        sizes: { type: "string" }, "with-1m": { type: "boolean" }, json: { type: "string" }, queries: { type: "string" },
        "http-questions": { type: "string" }, "http-seconds": { type: "string" }, "http-processes": { type: "string" }, "no-reference": { type: "boolean" },
        "no-http": { type: "boolean" }, seed: { type: "string" }, keep: { type: "boolean" }, only: { type: "string" },
        "recall-sets": { type: "string" },
        store: { type: "string" }, propagation: { type: "string" },
      },
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  const sizes = (values.sizes ?? "10000,100000").split(",").map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 100)) throw new UsageError(`--sizes must be integers ≥ 100\n${USAGE}`);
  if (values["with-1m"] && !sizes.includes(1_000_000)) sizes.push(1_000_000);
  const int = (v: string | undefined, fallback: number, min: number): number => {
    const n = v === undefined ? fallback : Number(v);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`invalid number '${v}'\n${USAGE}`);
    return n;
  };
  if (values.only !== undefined && values.only !== "eventloop" && values.only !== "kwindex") throw new UsageError(`--only takes: eventloop, kwindex\n${USAGE}`);
  if (values.store !== undefined && values.store !== "postgres") throw new UsageError(`--store takes: postgres\n${USAGE}`);
  return {
    ...(values.store === "postgres" ? { store: "postgres" as const } : {}),
    propagation: int(values.propagation, 30, 3),
    ...(values.only === "eventloop" || values.only === "kwindex" ? { only: values.only } : {}),
    sizes: [...new Set(sizes)].sort((a, b) => a - b),
    ...(values.json ? { json: values.json } : {}),
    queries: int(values.queries, 500, 10),
    httpQuestions: int(values["http-questions"], 1000, 10),
    httpSeconds: int(values["http-seconds"], 10, 1),
    reference: !values["no-reference"],
    http: !values["no-http"],
    httpProcesses: int(values["http-processes"], 2, 1),
    seed: int(values.seed, 42, 0),
    keep: values.keep === true,
    recallSets: values["recall-sets"] !== undefined
      ? values["recall-sets"].split(",").filter((d) => d.trim() !== "")
      : ["tv-manual", "zh-cs"].map((d) => join(ROOT, "..", "shared", "eval", d)).filter((d) => existsSync(d)),
  };
}

/** `--only eventloop`: the event-loop section alone, printed and written as JSON (--json FILE, else bench-results/). */
async function eventLoopOnly(args: BenchArgs): Promise<number> {
  const result = await benchEventLoop(log);
  process.stdout.write(`${formatEventLoop(result)}\n`);
  const date = new Date().toISOString();
  const out = args.json ?? join(ROOT, "bench-results", `bench-eventloop-${date.slice(0, 10)}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ date, commit: gitCommit(ROOT), machine: machineInfo(), eventLoop: result }, null, 2)}\n`);
  log(`results written to ${out}`);
  return result.maxMs <= 100 && result.files.every((f) => f.state === "completed") ? 0 : 1;
}

function settingsOf(config: Config): Record<string, string | number> {
  return {
    EMBEDDER: config.EMBEDDER, LOCAL_EMBEDDER_DIMENSIONS: config.LOCAL_EMBEDDER_DIMENSIONS, ANSWER_COMPOSER: config.ANSWER_COMPOSER,
    CHUNK_MAX_TOKENS: config.CHUNK_MAX_TOKENS, CHUNK_OVERLAP_TOKENS: config.CHUNK_OVERLAP_TOKENS, HNSW_M: config.HNSW_M,
    HNSW_EF_CONSTRUCTION: config.HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH: config.HNSW_EF_SEARCH, RETRIEVAL_TOP_K: config.RETRIEVAL_TOP_K,
  };
}

function notesFor(plans: SizePlan[]): string[] {
  return [
    `sizes are targets in chunks; documents are generated until the estimated chunk count reaches each (${plans.map((p) => `${label(p.target)}: ${p.documents} docs`).join(", ")}); the table shows the chunks actually stored`,
    "retrieval latency is measured in-process through createAnswering().retrieve (query embedding included for hybrid and dense)",
    "cold start is process start (node + imports + openEngine) to engine ready on the compiled build (dist/, plain node, as npm start runs the server; no tsx), median of 3 fresh processes; the HTTP and reference children run compiled too",
    "PDF cold is the first document parsed in the process (importing pdf.js and its one-time warm-up included); PDF steady state parses every file again after that warm-up (the installed Debian PDFs plus a generated 200+ page manual from the synthetic corpus), then chunks, embeds, stores and indexes them; the PDF target is judged on the steady state",
  ];
}

/** Progress on stderr with the elapsed time, so a slow phase shows where the run's minutes go. */
function log(message: string): void {
  process.stderr.write(`[bench +${Math.round((performance.now() - started) / 1000)}s] ${message}\n`);
}
