import { z } from "zod";
import type { ModeReport } from "./run-eval.js";

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

/**
 * Compares the measured metrics with floors: `{ "<dataset>": { "<mode>": { "<metric>": min } } }`; metrics
 * ending in `Ms` or named falseRefusal are ceilings instead. Returns one message per violation.
 */
export function checkFloors(modes: Record<string, ModeReport>, floors: unknown, dataset: string): string[] {
  const forDataset = floorsSchema.parse(floors)[dataset];
  if (!forDataset) return [];
  const failures: string[] = [];
  for (const [mode, limits] of Object.entries(forDataset)) {
    const measured = modes[mode];
    if (!measured) continue;
    for (const [metric, limit] of Object.entries(limits)) {
      const value = measured[metric as keyof ModeReport];
      if (typeof value !== "number") continue;
      const ceiling = metric.endsWith("Ms") || metric === "falseRefusal";
      if (ceiling ? value > limit : value < limit) failures.push(`${dataset} ${mode} ${metric} = ${value} ${ceiling ? ">" : "<"} ${limit}`);
    }
  }
  return failures;
}
