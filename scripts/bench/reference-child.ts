// Child process of the reference benchmark: LangChain's documented pipeline on the generated corpus, isolated so
// that its memory, its load time and the way it fails at scale are measured on their own.
// Usage: reference-child.ts build CORPUS_DIR DOCUMENTS STORE_DIR
//        reference-child.ts load STORE_DIR QUESTIONS_JSON
import { readFile, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { LocalHashEmbedder } from "../../src/adapters/local-embedder.js";
import { loadConfig } from "../../src/config.js";
import { LangChainReference, type ReferenceDoc } from "../lib/langchain-reference.js";
import { corpusFile } from "./corpus-files.js";
import { reportToParent } from "./child-process.js";
import { latencyStats } from "./stats.js";

const [mode, ...args] = process.argv.slice(2);
const config = loadConfig();
// The same embedder as the engine's default, so only the pipeline differs.
const embedder = new LocalHashEmbedder({ dimensions: config.LOCAL_EMBEDDER_DIMENSIONS });

if (mode === "build") await build(args[0]!, Number(args[1]), args[2]!);
else if (mode === "load") await load(args[0]!, args[1]!);
else throw new Error(`unknown mode ${mode}`);

/** Reads the files as LangChain's TextLoader would (whole file as pageContent), builds, saves. */
async function build(corpusDir: string, documents: number, storeDir: string): Promise<void> {
  const t0 = performance.now();
  const docs: ReferenceDoc[] = [];
  for (let i = 0; i < documents; i++) docs.push({ id: `doc-${i}`, title: "", text: await readFile(corpusFile(corpusDir, i), "utf8") });
  const t1 = performance.now();
  const ref = await LangChainReference.build(docs, embedder);
  const t2 = performance.now();
  reportToParent({ phase: "built", readSeconds: (t1 - t0) / 1000, buildSeconds: (t2 - t1) / 1000, rssAfterBuild: process.memoryUsage().rss });
  await ref.save(storeDir);
  const t3 = performance.now();
  reportToParent({
    phase: "saved",
    readSeconds: (t1 - t0) / 1000,
    buildSeconds: (t2 - t1) / 1000,
    saveSeconds: (t3 - t2) / 1000,
    chunks: await indexedCount(join(storeDir, "hnswlib.index")),
    diskBytes: await dirBytes(storeDir),
    rssAfterBuild: process.memoryUsage().rss,
  });
}

/** Loads the saved store (process start → loaded is its cold start) and times dense top-4 queries. */
async function load(storeDir: string, questionsFile: string): Promise<void> {
  const rssBeforeLoad = process.memoryUsage().rss;
  const t0 = performance.now();
  const ref = await LangChainReference.load(storeDir, embedder);
  const loadSeconds = (performance.now() - t0) / 1000;
  const readyMs = process.uptime() * 1000;
  const rssLoaded = process.memoryUsage().rss;
  const questions = JSON.parse(await readFile(questionsFile, "utf8")) as string[];
  for (const q of questions.slice(0, 50)) await ref.search(q, 4);
  const samples: number[] = [];
  for (const q of questions) {
    const t = performance.now();
    await ref.search(q, 4);
    samples.push(performance.now() - t);
  }
  reportToParent({ phase: "loaded", loadSeconds, readyMs, rssBeforeLoad, rssLoaded, rssAfterQueries: process.memoryUsage().rss, query: latencyStats(samples) });
}

/** Element count from an hnswlib index header (third size_t field): the number of chunks indexed. */
async function indexedCount(file: string): Promise<number> {
  const fh = await import("node:fs/promises").then((fs) => fs.open(file, "r"));
  try {
    const header = Buffer.alloc(24);
    await fh.read(header, 0, 24, 0);
    return Number(header.readBigUInt64LE(16));
  } finally {
    await fh.close();
  }
}

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(join(dir, name))).size;
  return total;
}
