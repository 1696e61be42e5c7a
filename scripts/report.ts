import { parseArgs } from "node:util";
import { createAnswering, createEngineAssist, openAnalytics, openEngine } from "../src/container.js";
import { runCli, UsageError } from "../src/cli/run-cli.js";
import type { AnalyticsReport } from "../src/assist/analytics-report.js";
import { analyticsQuerySchema } from "../src/http/routes/analytics.js";
import { parseInput } from "../src/http/validate.js";

const USAGE = "usage: npm run report -- [--from DATE] [--to DATE] [--low-confidence 0.5] [--threshold 0.34] [--json]";

/** `npm run report`: the GET /analytics report of DATA_DIR/analytics.db as tables (or JSON). */
await runCli(async (config, argv) => {
  const args = parseCliArgs(argv);
  const q = parseInput(
    analyticsQuerySchema,
    {
      ...(args.from ? { from: args.from } : {}),
      ...(args.to ? { to: args.to } : {}),
      ...(args["low-confidence"] ? { lowConfidence: args["low-confidence"] } : {}),
      ...(args.threshold ? { clusterThreshold: args.threshold } : {}),
    },
    "arguments",
  );
  const engine = await openEngine(config);
  const analytics = openAnalytics(engine);
  try {
    const assist = createEngineAssist(engine, await createAnswering(engine), analytics);
    const report = await assist.report({
      range: { ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}) },
      ...(q.lowConfidence !== undefined ? { lowConfidence: q.lowConfidence } : {}),
      ...(q.clusterThreshold !== undefined ? { clusterThreshold: q.clusterThreshold } : {}),
    });
    process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : `${render(report)}\n`);
  } finally {
    analytics.close();
    await engine.close();
  }
});

function parseCliArgs(argv: string[]) {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { from: { type: "string" }, to: { type: "string" }, "low-confidence": { type: "string" }, threshold: { type: "string" }, json: { type: "boolean" } },
    });
    return values;
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** Rows as aligned columns (first column left-aligned, the others right-aligned). */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
}

function render(r: AnalyticsReport): string {
  const out = [`analytics ${r.range.from ?? "(start)"} .. ${r.range.to ?? "(now)"}: ${r.questions} questions (${r.byKind.answer} answers, ${r.byKind.suggestion} suggestions)`, ""];
  out.push(...table(["outcome", "count", "rate"], (["answered", "refused", "escalated", "degraded"] as const).map((o) => [o, String(r.outcomes[o]), pct(r.rates[o])])), "");
  const f = r.feedback;
  out.push(`feedback: ${f.up} up, ${f.down} down (${pct(f.upRate)} up); ${f.rated} rated = ${pct(f.ratedRate)} of questions`, "");
  out.push(...table(["most cited document", "citations"], r.mostCited.map((c) => [`${c.documentId}${c.title ? ` (${c.title})` : ""}`, String(c.count)])), "");
  out.push(`coverage gaps: ${r.coverageGaps.candidates} refused / low-confidence (< ${r.settings.lowConfidence}) / down-voted questions, ` +
    `${r.coverageGaps.clusters.length} clusters (Jaccard ≥ ${r.settings.clusterThreshold})`);
  const rows = r.coverageGaps.clusters.slice(0, 20).map((c) => [
    c.representative.slice(0, 70),
    String(c.count),
    Object.entries(c.outcomes).map(([o, n]) => `${o} ${n}`).join(", "),
    String(c.downVotes),
    c.averageConfidence.toFixed(2),
  ]);
  out.push(...table(["question (representative)", "count", "outcomes", "down", "conf"], rows));
  return out.join("\n");
}
