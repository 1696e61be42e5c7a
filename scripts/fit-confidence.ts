import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { createAnswering, openEngine, storeIdf } from "../src/container.js";
import { runCli, UsageError } from "../src/cli/run-cli.js";
import type { Config } from "../src/config.js";
import { readDataset, type EvalQuestion } from "../src/eval/dataset.js";
import { seededRandom } from "../src/eval/metrics.js";
import { confidenceFeatures, type ConfidenceFeatures, type ConfidenceModel } from "../src/retrieval/confidence.js";
import { loadFile } from "../ingest/loaders/load-file.js";
import { ingestDocuments } from "../ingest/pipeline.js";
import { ExtractiveComposer } from "../src/answer/extractive.js";

/**
 * `npx tsx scripts/fit-confidence.ts --dataset DIR [--dataset DIR2] [--holdout-fraction F] [--seed N]`: fits the
 * answerability model of `src/retrieval/confidence.ts`. Positives are the answerable questions on the full corpus;
 * negatives are the unanswerable (off-topic) questions and, with a hold-out fraction, the held-out questions after
 * their gold documents were removed (the same sampling as `npm run eval`). Prints the model and, per threshold, the
 * false-refusal and correct-refusal rates, so ANSWER_MIN_CONFIDENCE can be chosen on the fitting seed.
 */
const KEYS: Array<keyof ConfidenceFeatures> = ["coverage", "passage", "proximity", "similarity", "margin", "agreement"];

interface Sample {
  x: number[];
  y: 0 | 1;
  heldOut?: boolean;
  dataset: string;
}

await runCli(async (config, argv) => {
  const { values } = parseArgs({ args: argv, options: { dataset: { type: "string", multiple: true }, "holdout-fraction": { type: "string", default: "0.1" }, seed: { type: "string", default: "1" } } });
  if (!values.dataset?.length) throw new UsageError("usage: fit-confidence --dataset DIR [--dataset DIR] [--holdout-fraction F] [--seed N]");
  const samples: Sample[] = [];
  for (const dir of values.dataset) samples.push(...(await collect(config, dir, Number(values["holdout-fraction"]), Number(values.seed))));
  for (const d of values.dataset.map((x) => basename(x))) for (const [name, pick] of [["answerable", (s: Sample) => s.y === 1], ["off-topic", (s: Sample) => s.y === 0 && !s.heldOut], ["held out", (s: Sample) => s.heldOut === true]] as const) {
    const group = samples.filter((s) => s.dataset === d && pick(s));
    if (group.length > 0) process.stderr.write(`${d} ${name.padEnd(10)} ${KEYS.map((k, i) => `${k} ${(group.reduce((a, s) => a + s.x[i]!, 0) / group.length).toFixed(2)}`).join("  ")}\n`);
  }
  const model = fit(samples);
  process.stdout.write(`${JSON.stringify(model)}\n`);
  for (const [threshold, dataset] of [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6].flatMap((t) => values.dataset!.map((d) => [t, basename(d)] as const))) {
    const pos = samples.filter((s) => s.y === 1 && s.dataset === dataset);
    const neg = samples.filter((s) => s.y === 0 && s.dataset === dataset);
    const falseRefusal = pos.filter((s) => predict(model, s.x) < threshold).length / pos.length;
    const refused = (group: readonly Sample[]): string => (group.filter((s) => predict(model, s.x) < threshold).length / Math.max(1, group.length)).toFixed(3);
    const line = `${dataset} threshold ${threshold.toFixed(2)}  falseRefusal ${falseRefusal.toFixed(3)}  correctRefusal ${refused(neg)}`;
    process.stdout.write(`${line} (off-topic ${refused(neg.filter((s) => !s.heldOut))}, held out ${refused(neg.filter((s) => s.heldOut))})\n`);
  }
  return 0;
});

async function collect(config: Config, dir: string, fraction: number, seed: number): Promise<Sample[]> {
  const dataset = readDataset(dir);
  const dataDir = mkdtempSync(join(tmpdir(), "groundline-fit-"));
  const engine = await openEngine({ ...config, DATA_DIR: dataDir });
  try {
    const docs = await loadFile({ bytes: readFileSync(dataset.corpusFile), fileName: basename(dataset.corpusFile), sourcePath: dataset.corpusFile });
    await ingestDocuments({ store: engine.store, embedder: engine.embedder }, docs, engine.ingestSettings("eval"));
    await engine.vectors.catchUp();
    const answering = await createAnswering(engine, { mode: "hybrid", composer: new ExtractiveComposer() });
    const idf = storeIdf(engine.store);
    const features = async (q: EvalQuestion): Promise<number[]> => {
      const f = confidenceFeatures(await answering.retrieve(q.question, { topK: config.RETRIEVAL_TOP_K }), idf);
      return KEYS.map((k) => f[k]);
    };
    const out: Sample[] = [];
    for (const q of dataset.questions) out.push({ x: await features(q), y: q.answerable ? 1 : 0, dataset: basename(dir) });
    const rand = seededRandom(seed);
    const heldOut = fraction > 0 ? dataset.questions.filter((q) => q.answerable && q.gold.length > 0 && rand() < fraction) : [];
    for (const q of heldOut) for (const id of q.gold) engine.store.deleteDocument("eval", id);
    await engine.vectors.catchUp();
    for (const q of heldOut) out.push({ x: await features(q), y: 0, heldOut: true, dataset: basename(dir) });
    process.stderr.write(`${basename(dir)}: ${out.length} samples (${heldOut.length} held out)\n`);
    return out;
  } finally {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function predict(model: ConfidenceModel, x: readonly number[]): number {
  let z = model.bias;
  KEYS.forEach((k, i) => (z += model[k] * x[i]!));
  return 1 / (1 + Math.exp(-z));
}

/** Class-balanced logistic regression with a little L2, by full-batch gradient descent. */
function fit(samples: readonly Sample[], epochs = 4000, rate = 0.5, l2 = 1e-3): ConfidenceModel {
  const w = new Array<number>(KEYS.length + 1).fill(0);
  const pos = samples.filter((s) => s.y === 1).length;
  const weightOf = (y: number): number => (y === 1 ? samples.length / (2 * pos) : samples.length / (2 * (samples.length - pos)));
  for (let e = 0; e < epochs; e++) {
    const grad = new Array<number>(w.length).fill(0);
    for (const s of samples) {
      const z = w[0]! + s.x.reduce((acc, v, i) => acc + v * w[i + 1]!, 0);
      const err = (1 / (1 + Math.exp(-z)) - s.y) * weightOf(s.y);
      grad[0]! += err;
      s.x.forEach((v, i) => (grad[i + 1]! += err * v));
    }
    for (let i = 0; i < w.length; i++) w[i]! -= rate * (grad[i]! / samples.length + (i > 0 ? l2 * w[i]! : 0));
  }
  const model = { bias: round(w[0]!) } as ConfidenceModel;
  KEYS.forEach((k, i) => (model[k] = round(w[i + 1]!)));
  return model;
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
