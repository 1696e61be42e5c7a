import { z } from "zod";
import type { ModeReport } from "./run-eval.js";
import type { RawReport } from "./pdf-scoring.js";

const floorsSchema = z.record(z.string(), z.record(z.string(), z.record(z.string(), z.number())));

const COLUMNS: Array<keyof ModeReport> = [
  "recall@1", "recall@5", "recall@10", "mrr@10", "ndcg@10", "rougeL", "tokenF1", "citationPrecision",
  "answerRate", "correctRefusal", "falseRefusal", "retrievalP50Ms", "retrievalP95Ms", "answerP95Ms",
];

/** A metrics-by-mode table for the terminal. */
export function formatTable(modes: Record<string, ModeReport>): string {
  const names = Object.keys(modes);
  const width = Math.max(18, ...COLUMNS.map((c) => c.length));
  const header = ["metric".padEnd(width), ...names.map((n) => n.padStart(18))].join(" ");
  const rows = COLUMNS.map((c) => [c.padEnd(width), ...names.map((n) => String(modes[n]![c]).padStart(18))].join(" "));
  return [header, ...rows].join("\n");
}

/** Metrics where lower is better: latencies, refusals of answerable questions, answer length. */
function isCeiling(metric: string): boolean {
  return metric.endsWith("Ms") || metric.endsWith("Words") || metric === "falseRefusal" || metric === "wrongRefusal";
}

/**
 * Compares the measured metrics with floors: `{ "<dataset>": { "<mode>": { "<metric>": min } } }`; metrics
 * ending in `Ms` or `Words` and the refusals of answerable questions are ceilings instead. A mode of a raw
 * dataset may name one file as `<mode>@<file>` (see {@link flattenRaw}). Returns one message per violation.
 */
export function checkFloors<T extends object>(modes: Record<string, T>, floors: unknown, dataset: string): string[] {
  const forDataset = floorsSchema.parse(floors)[dataset];
  if (!forDataset) return [];
  const failures: string[] = [];
  for (const [mode, limits] of Object.entries(forDataset)) {
    const measured = modes[mode];
    if (!measured) {
      failures.push(`${dataset} ${mode}: not measured (floors name it)`);
      continue;
    }
    for (const [metric, limit] of Object.entries(limits)) {
      const value: unknown = Reflect.get(measured, metric);
      if (typeof value !== "number") continue;
      const ceiling = isCeiling(metric);
      if (ceiling ? value > limit : value < limit) failures.push(`${dataset} ${mode} ${metric} = ${value} ${ceiling ? ">" : "<"} ${limit}`);
    }
  }
  return failures;
}

const RAW_COLUMNS: Array<Exclude<keyof RawReport, "questions">> = [
  "correct", "keyAccuracy", "citationAccuracy", "pageRecall@1", "pageRecall@5", "wrongRefusal", "unanswerableRefused",
  "medianWords", "p95Words", "rougeL", "answerP95Ms",
];

/**
 * Raw-dataset reports (`system → scope → report`, scope "all" or a file name) as one table per scope, systems side
 * by side, in the style of {@link formatTable}.
 */
export function formatRawTables(systems: Record<string, Record<string, RawReport>>): string {
  const names = Object.keys(systems);
  const scopes = [...new Set(names.flatMap((n) => Object.keys(systems[n]!)))];
  const width = Math.max(18, ...RAW_COLUMNS.map((c) => c.length));
  const tables = scopes.map((scope) => {
    const first = names.map((n) => systems[n]![scope]).find((r) => r !== undefined);
    const title = `${scope === "all" ? "all files" : scope} (${first?.questions.answerable ?? 0} answerable, ${first?.questions.unanswerable ?? 0} unanswerable)`;
    const header = ["metric".padEnd(width), ...names.map((n) => n.padStart(18))].join(" ");
    const cell = (n: string, c: (typeof RAW_COLUMNS)[number]): string => {
      const r = systems[n]![scope];
      const v = r?.[c];
      return (v === undefined || v === null ? "-" : String(v)).padStart(18);
    };
    const rows = RAW_COLUMNS.map((c) => [c.padEnd(width), ...names.map((n) => cell(n, c))].join(" "));
    return [`== ${title}`, header, ...rows].join("\n");
  });
  return tables.join("\n\n");
}

/** `system → scope → report` as the modes {@link checkFloors} reads: "hybrid" (all files), "hybrid@install.en.pdf". */
export function flattenRaw(systems: Record<string, Record<string, RawReport>>): Record<string, RawReport> {
  const out: Record<string, RawReport> = {};
  for (const [name, scopes] of Object.entries(systems)) {
    for (const [scope, r] of Object.entries(scopes)) out[scope === "all" ? name : `${name}@${scope}`] = r;
  }
  return out;
}
