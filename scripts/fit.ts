import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { runCli, UsageError } from "../src/cli/run-cli.js";
import { createEmbedder } from "../src/container.js";
import { packageRoot } from "../src/package-root.js";
import { DEFAULT_EXTRACTIVE_OPTIONS, type ExtractiveOptions } from "../src/answer/extractive.js";
import { fitConfidence, leaveOneOut, refusalRates, type ConfidenceSample } from "../src/eval/fit-confidence.js";
import { searchComposer, type QualityByDataset } from "../src/eval/fit-composer.js";
import { searchFusion, topGain, type RankingPools } from "../src/eval/fit-fusion.js";
import { DEFAULT_RETRIEVAL_SETTINGS, type FusionWeights } from "../src/retrieval/retrieve.js";
import { fittedParamsFile, type FittedParams } from "../src/retrieval/fitted-params.js";
import { PIPELINE_VERSION } from "../ingest/pipeline.js";
import { openFitDataset, type FitDataset } from "./lib/fit-datasets.js";
import { formatComposerTable, formatFusionTable, formatRefusalTable, type ComposerRow, type FusionRow } from "./lib/fit-report.js";

const USAGE = `usage: npm run fit -- [--dataset DIR ...] [--documents DIR] [--out DIR] [--threshold T] [--seed N] [--holdout-fraction F]
                      [--no-composer] [--loo] [--dry-run]
Fits the engine's constants on every dev dataset together and writes fitted/<embedder>.json, which the engine loads:
the fusion weights of hybrid retrieval (coordinate search on the top-ranked result), then with them the extractive
composer's options (coordinate search; --no-composer keeps the built-in ones) and the confidence model.
Without --dataset: ../shared/eval/{tv-manual,zh-cs,pdf-manuals} beside the repo. --documents: where the PDF dataset's
files are (default DIR/documents, filled by its fetch.sh). Prints leave-one-dataset-out figures (--loo also refits
the composer without each dataset, which takes a few times longer).`;

const DEV_SETS = ["tv-manual", "zh-cs", "pdf-manuals"];

await runCli(async (config, argv) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      dataset: { type: "string", multiple: true }, documents: { type: "string" }, out: { type: "string" }, threshold: { type: "string" },
      seed: { type: "string", default: "2" }, "holdout-fraction": { type: "string", default: "0.1" }, "dry-run": { type: "boolean", default: false },
      "no-composer": { type: "boolean", default: false }, loo: { type: "boolean", default: false }, help: { type: "boolean", default: false },
    },
  });
  if (values.help) throw new UsageError(USAGE);
  const dirs = values.dataset?.length ? values.dataset.map((d) => resolve(d)) : DEV_SETS.map((d) => resolve(packageRoot(), "..", "shared", "eval", d));
  const threshold = values.threshold === undefined ? config.ANSWER_MIN_CONFIDENCE : Number(values.threshold);
  if (!(threshold > 0 && threshold < 1)) throw new UsageError(`--threshold must be in (0, 1)\n${USAGE}`);
  const options = { holdoutFraction: Number(values["holdout-fraction"]), seed: Number(values.seed), ...(values.documents ? { documents: values.documents } : {}) };
  const log = (m: string): void => void process.stderr.write(`${m}\n`);
  const out = (m: string): void => void process.stdout.write(`${m}\n`);
  const datasets: FitDataset[] = [];
  try {
    for (const dir of dirs) datasets.push(await openFitDataset(config, dir, options, log));
    const weights = await fitFusion(datasets, log, out);
    const composer = values["no-composer"] ? {} : await fitComposer(datasets, weights, values.loo, log, out);
    const samples: ConfidenceSample[] = [];
    for (const d of datasets) samples.push(...(await d.confidenceSamples(weights)));
    const confidence = fitConfidence(samples);
    out(`confidence model ${JSON.stringify(confidence)}\n`);
    out(formatRefusalTable("confidence, leave one dataset out", leaveOneOut(samples, threshold, confidence), threshold));
    for (const d of datasets.filter((x) => new Set(samples.filter((s) => s.dataset === x.name && s.part !== "*").map((s) => s.part)).size > 1)) {
      out(formatRefusalTable(`confidence, ${d.name}: leave one file out`, leaveOneOut(samples, threshold, confidence, d.name), threshold));
    }
    const embedder = await createEmbedder(config);
    const names = datasets.map((d) => d.name);
    const command = `npm run fit -- ${argv.map((a) => (a.startsWith("/") ? "<path>" : a)).join(" ")}`.trim();
    const params: FittedParams = { format: 1, embedder: embedder.id, pipeline: PIPELINE_VERSION, fittedOn: names, command, confidence, composer, retrieval: { weights } };
    if (values["dry-run"]) return 0;
    const outDir = values.out ? resolve(values.out) : join(packageRoot(), "fitted");
    mkdirSync(outDir, { recursive: true });
    const file = fittedParamsFile(outDir, embedder.id);
    writeFileSync(file, `${JSON.stringify(params, null, 2)}\n`);
    log(`wrote ${file} (fitted on ${names.join(", ")}; refusal rates at ${threshold}: ${JSON.stringify(refusalRates(confidence, samples, threshold))})`);
    return 0;
  } finally {
    for (const d of datasets) await d.close();
  }
});

/**
 * Coordinate search of the fusion weights on every dataset's candidate pools, and leave-one-dataset-out (cheap: the
 * pools are retrieved once and re-fused in memory).
 */
async function fitFusion(datasets: readonly FitDataset[], log: (m: string) => void, out: (m: string) => void): Promise<FusionWeights> {
  const t0 = performance.now();
  const pools: Record<string, RankingPools> = {};
  for (const d of datasets) pools[d.name] = await d.rankingPools();
  log(`candidate pools retrieved in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  const defaults = DEFAULT_RETRIEVAL_SETTINGS.weights;
  const all = searchFusion(pools, defaults);
  out(`fusion weights ${JSON.stringify(all.weights)} (objective ${all.objective.toFixed(3)})`);
  const rows: FusionRow[] = datasets.map((d) => {
    const others = Object.fromEntries(Object.entries(pools).filter(([n]) => n !== d.name));
    const without = datasets.length > 1 ? searchFusion(others, defaults).weights : defaults;
    return { held: d.name, defaults: all.baseline[d.name]!, inSample: all.gain[d.name]!, leftOut: topGain(pools[d.name]!, without) };
  });
  out(formatFusionTable(rows));
  return all.weights;
}

/** Coordinate search of the composer options on all datasets; with `loo`, also without each dataset in turn. */
async function fitComposer(datasets: readonly FitDataset[], weights: FusionWeights, loo: boolean, log: (m: string) => void, out: (m: string) => void): Promise<Partial<ExtractiveOptions>> {
  const evaluate = (among: readonly FitDataset[]) => async (o: Partial<ExtractiveOptions>): Promise<QualityByDataset> => {
    const q: QualityByDataset = {};
    for (const d of among) q[d.name] = await d.answerQuality(o, weights);
    return q;
  };
  const t0 = performance.now();
  const { best, baseline } = await searchComposer(evaluate(datasets), DEFAULT_EXTRACTIVE_OPTIONS, 2, (s) => log(`composer ${JSON.stringify(s.options)} → ${s.objective.toFixed(3)}`));
  out(`composer options ${JSON.stringify(best.options)} (objective ${best.objective.toFixed(3)}, search ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  const rows: ComposerRow[] = datasets.map((d) => ({ held: d.name, defaults: baseline[d.name]!, inSample: best.quality[d.name]! }));
  if (loo) {
    for (const row of rows) {
      const others = datasets.filter((d) => d.name !== row.held);
      const without = await searchComposer(evaluate(others), DEFAULT_EXTRACTIVE_OPTIONS, 2);
      const heldOut = datasets.find((d) => d.name === row.held)!;
      row.leftOut = await heldOut.answerQuality(without.best.options, weights);
    }
  }
  out(formatComposerTable(rows));
  return best.options;
}
