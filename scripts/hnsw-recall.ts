import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { runCli, UsageError } from "../src/cli/run-cli.js";
import { evalSetRecall, type EvalRecallOptions, type EvalRecallRow } from "./bench/eval-recall.js";

/** #12's recall target on the evaluation sets (declared before the run's top-level await). */
const TARGET = 0.95;

const USAGE = "usage: npm run hnsw-recall -- --dataset DIR [--dataset DIR…] [--m 8,16,32] [--ef 16,32,64,128,256] [--k 10] [--json FILE]";

/**
 * `npm run hnsw-recall`: HNSW recall@k against exact search on evaluation sets' chunk vectors for each graph degree M
 * and search ef (see scripts/bench/eval-recall.ts). The measurement the default HNSW_M / HNSW_EF_SEARCH are chosen
 * from: the smallest setting that keeps recall@10 ≥ 0.95 on every set (README, Benchmarks).
 */
await runCli(async (config, argv) => {
  const args = parse(argv);
  const rows = await evalSetRecall(config, args.datasets, args, (r) =>
    process.stdout.write(`${r.dataset} (${r.chunks} chunks, ${r.queries} questions) M ${r.m} ef ${r.ef}: recall@${args.k} ${r.recall} (${r.searchMs} ms/query)\n`));
  const smallest = smallestMeeting(rows, TARGET);
  for (const { m, ef, recall } of smallest) process.stdout.write(`M ${m}: smallest ef with recall@${args.k} ≥ ${TARGET} on every set: ${ef ?? "none measured"}${recall !== undefined ? ` (worst set ${recall})` : ""}\n`);
  const current = rows.filter((r) => r.m === config.HNSW_M && r.ef === config.HNSW_EF_SEARCH);
  if (current.length > 0) process.stdout.write(`configured M ${config.HNSW_M} / ef ${config.HNSW_EF_SEARCH}: worst set ${Math.min(...current.map((r) => r.recall))}\n`);
  if (args.json) writeFileSync(args.json, `${JSON.stringify({ k: args.k, efConstruction: config.HNSW_EF_CONSTRUCTION, target: TARGET, smallest, rows }, null, 2)}\n`);
  return 0;
});

/** Per M, the smallest measured ef whose worst recall over the datasets reaches `target`. */
function smallestMeeting(rows: readonly EvalRecallRow[], target: number): Array<{ m: number; ef?: number; recall?: number }> {
  return [...new Set(rows.map((r) => r.m))].map((m) => {
    const efs = [...new Set(rows.filter((r) => r.m === m).map((r) => r.ef))].sort((a, b) => a - b);
    for (const ef of efs) {
      const worst = Math.min(...rows.filter((r) => r.m === m && r.ef === ef).map((r) => r.recall));
      if (worst >= target) return { m, ef, recall: worst };
    }
    return { m };
  });
}

function parse(argv: string[]): EvalRecallOptions & { datasets: string[]; json?: string } {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { dataset: { type: "string", multiple: true }, m: { type: "string" }, ef: { type: "string" }, k: { type: "string" }, json: { type: "string" } } }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  const list = (s: string | undefined, fallback: string): number[] => (s ?? fallback).split(",").map(Number);
  const ms = list(values.m, "8,16,32");
  const efs = list(values.ef, "16,32,64,128,256");
  const k = Number(values.k ?? 10);
  if (!values.dataset?.length || [...ms, ...efs, k].some((n) => !Number.isInteger(n) || n < 1)) throw new UsageError(USAGE);
  return { datasets: values.dataset, ms, efs, k, ...(values.json ? { json: values.json } : {}) };
}
