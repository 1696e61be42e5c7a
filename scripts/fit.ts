import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { runCli, UsageError } from "../src/cli/run-cli.js";
import { createEmbedder } from "../src/container.js";
import { packageRoot } from "../src/package-root.js";
import { fitConfidence, leaveOneOut, refusalRates, type ConfidenceSample, type LeaveOneOutRow } from "../src/eval/fit-confidence.js";
import { fittedParamsFile, type FittedParams } from "../src/retrieval/fitted-params.js";
import { PIPELINE_VERSION } from "../ingest/pipeline.js";
import { collectSamples } from "./lib/fit-samples.js";

const USAGE = `usage: npm run fit -- [--dataset DIR ...] [--documents DIR] [--out DIR] [--threshold T] [--seed N] [--holdout-fraction F] [--dry-run]
Fits the engine's constants on every dev dataset together and writes fitted/<embedder>.json, which the engine loads.
Without --dataset: ../shared/eval/{tv-manual,zh-cs,pdf-manuals} beside the repo. --documents: where the PDF dataset's
files are (default DIR/documents, filled by its fetch.sh). Prints in-sample and leave-one-dataset-out refusal rates.`;

const DEV_SETS = ["tv-manual", "zh-cs", "pdf-manuals"];

await runCli(async (config, argv) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      dataset: { type: "string", multiple: true }, documents: { type: "string" }, out: { type: "string" }, threshold: { type: "string" },
      seed: { type: "string", default: "2" }, "holdout-fraction": { type: "string", default: "0.1" }, "dry-run": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) throw new UsageError(USAGE);
  const datasets = values.dataset?.length ? values.dataset.map((d) => resolve(d)) : DEV_SETS.map((d) => resolve(packageRoot(), "..", "shared", "eval", d));
  const threshold = values.threshold === undefined ? config.ANSWER_MIN_CONFIDENCE : Number(values.threshold);
  if (!(threshold > 0 && threshold < 1)) throw new UsageError(`--threshold must be in (0, 1)\n${USAGE}`);
  const options = { holdoutFraction: Number(values["holdout-fraction"]), seed: Number(values.seed), ...(values.documents ? { documents: values.documents } : {}) };
  const log = (m: string): void => void process.stderr.write(`${m}\n`);
  const samples: ConfidenceSample[] = [];
  for (const dir of datasets) samples.push(...(await collectSamples(config, dir, options, log)));
  const confidence = fitConfidence(samples);
  const names = [...new Set(samples.map((s) => s.dataset))];
  process.stdout.write(`confidence model ${JSON.stringify(confidence)}\n\n`);
  process.stdout.write(`${formatTable("leave one dataset out", leaveOneOut(samples, threshold), threshold)}\n`);
  for (const d of names.filter((n) => new Set(samples.filter((s) => s.dataset === n && s.part !== "*").map((s) => s.part)).size > 1)) {
    process.stdout.write(`${formatTable(`${d}: leave one file out`, leaveOneOut(samples, threshold, d), threshold)}\n`);
  }
  const embedder = await createEmbedder(config);
  const params: FittedParams = { format: 1, embedder: embedder.id, pipeline: PIPELINE_VERSION, fittedOn: names, command: `npm run fit -- ${argv.map((a) => (a.startsWith("/") ? "<path>" : a)).join(" ")}`.trim(), confidence };
  if (values["dry-run"]) return 0;
  const outDir = values.out ? resolve(values.out) : join(packageRoot(), "fitted");
  mkdirSync(outDir, { recursive: true });
  const file = fittedParamsFile(outDir, embedder.id);
  writeFileSync(file, `${JSON.stringify(params, null, 2)}\n`);
  log(`wrote ${file} (fitted on ${names.join(", ")}; all rates at threshold ${threshold}: ${JSON.stringify(refusalRates(confidence, samples, threshold))})`);
  return 0;
});

function formatTable(title: string, rows: readonly LeaveOneOutRow[], threshold: number): string {
  const f = (v: number): string => (Number.isNaN(v) ? "    -" : v.toFixed(3));
  const lines = [`${title} (threshold ${threshold}): wrong refusal of answerable / correct refusal of unanswerable`, "held out            n+   n-   in-sample wrong  correct   left-out wrong  correct   |Δ| max"];
  for (const r of rows) {
    const delta = Math.max(Math.abs(r.leftOut.wrongRefusal - r.inSample.wrongRefusal), Math.abs(r.leftOut.correctRefusal - r.inSample.correctRefusal) || 0);
    lines.push(`${basename(r.held).padEnd(18)} ${String(r.inSample.answerable).padStart(4)} ${String(r.inSample.unanswerable).padStart(4)}   ${f(r.inSample.wrongRefusal)}    ${f(r.inSample.correctRefusal)}      ${f(r.leftOut.wrongRefusal)}    ${f(r.leftOut.correctRefusal)}      ${f(delta)}`);
  }
  return lines.join("\n");
}
