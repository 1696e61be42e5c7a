import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import type { Config } from "../src/config.js";
import { createAnswering, openEngine } from "../src/container.js";
import { runCli, UsageError } from "../src/cli/run-cli.js";
import type { LoadedDocument } from "../src/domain/document.js";
import { seededRandom } from "../src/eval/metrics.js";
import { loadFile } from "../ingest/loaders/load-file.js";
import { ingestDocuments } from "../ingest/pipeline.js";
import { findSimilarTickets, voteIntent, type TicketSearchDeps } from "../src/assist/similar-tickets.js";
import { triageText } from "../src/assist/triage.js";
import { parseThreadText, type ThreadMessage } from "../src/assist/thread.js";

const USAGE = "usage: npm run triage-report -- TICKETS.jsonl [--sample 20] [--seed 1] [--all] [--json]";

interface SampleRow {
  id: string;
  question: string;
  category: string | null;
  predicted: string | null;
  confidence: number;
  /** The same k-NN vote over the tickets' product labels: a multi-class check when a file has one category. */
  product: string | null;
  predictedProduct: string | null;
  similar: Array<{ documentId: string; subject: string; category: string | null; similarity: number }>;
}

/**
 * `npm run triage-report`: ingests a ticket file into a temporary store, triages every ticket's customer messages
 * (label distributions), and for a seeded sample shows the nearest OTHER tickets and the leave-one-out k-NN intent
 * against the ticket's own category. `--all` measures that intent accuracy on every ticket. Nothing is written
 * outside the temporary directory, which is removed at the end.
 */
await runCli(async (config, argv) => {
  const args = parseCliArgs(argv);
  const file = args.positionals[0];
  if (!file) throw new UsageError(USAGE);
  const sampleSize = Number(args.values.sample ?? 20);
  const seed = Number(args.values.seed ?? 1);
  if (!Number.isInteger(sampleSize) || sampleSize < 0 || !Number.isInteger(seed)) throw new UsageError(USAGE);
  const docs = (await loadFile({ bytes: readFileSync(file), fileName: basename(file), sourcePath: file })).filter((d) => d.sourceType === "ticket");
  const dataDir = mkdtempSync(join(tmpdir(), "groundline-triage-"));
  const engine = await openEngine({ ...config, DATA_DIR: dataDir, LOG_LEVEL: "silent" } satisfies Config);
  try {
    const t0 = performance.now();
    await ingestDocuments({ store: engine.store, embedder: engine.embedder, redact: engine.redact }, docs, engine.ingestSettings("triage"));
    await engine.indexes.catchUp();
    const ingestSeconds = (performance.now() - t0) / 1000;
    const answering = await createAnswering(engine);
    const deps: TicketSearchDeps = { retrieve: answering.retrieve, store: engine.store, embedder: engine.embedder };
    // Redacted like everything ingested: the report prints customers' words.
    const threads = docs.map((d) => ({ doc: d, messages: threadOf(d).map((m) => ({ ...m, text: engine.redactor.redact(m.text).text })) }));
    const distribution = labelDistribution(threads.map((t) => t.messages), config.ANSWER_MIN_CONFIDENCE);
    const rand = seededRandom(seed);
    const sample = [...threads].sort(() => rand() - 0.5).slice(0, sampleSize);
    const rows: SampleRow[] = [];
    for (const t of sample) rows.push(await sampleRow(deps, t.doc, t.messages));
    const all = args.values.all ? await intentAccuracy(deps, threads) : undefined;
    const report = {
      file: basename(file),
      tickets: docs.length,
      ingestSeconds: round(ingestSeconds),
      categories: countBy(docs.map((d) => d.ticket?.category ?? "(none)")),
      ...distribution,
      sample: {
        size: rows.length,
        seed,
        intentAccuracy: accuracy(rows),
        ...productAccuracy(rows),
        topSimilarity: quantiles(rows.map((r) => r.similar[0]?.similarity ?? 0)),
        rows,
      },
      ...(all ? { allIntentAccuracy: all } : {}),
    };
    process.stdout.write(args.values.json ? `${JSON.stringify(report, null, 2)}\n` : `${render(report)}\n`);
  } finally {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

function parseCliArgs(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: { sample: { type: "string" }, seed: { type: "string" }, all: { type: "boolean" }, json: { type: "boolean" } },
    });
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
}

/** The conversation stored in a ticket's text (its Subject and Resolution lines are not messages). */
function threadOf(doc: LoadedDocument): ThreadMessage[] {
  const text = doc.sections.map((s) => s.text).join("\n").split("\n").filter((l) => !/^\s*(?:Subject|Resolution):/.test(l)).join("\n");
  try {
    return parseThreadText(text);
  } catch {
    return [{ role: "customer", text: doc.ticket?.subject ?? doc.title }];
  }
}

function labelDistribution(threads: ThreadMessage[][], minConfidence: number) {
  const triages = threads.map((m) => triageText(m, { minConfidence }));
  return {
    language: countBy(triages.map((t) => t.language)),
    sentiment: countBy(triages.map((t) => t.sentiment.label)),
    cues: countBy(triages.flatMap((t) => t.sentiment.cues)),
    escalation: {
      recommended: triages.filter((t) => t.escalate.recommended).length,
      reasons: countBy(triages.flatMap((t) => t.escalate.reasons)),
    },
    escalationEvidence: countBy(triages.flatMap((t) => t.escalate.details.filter((d) => d.reason !== "negative-sentiment").map((d) => `${d.reason}: ${d.evidence.toLowerCase()}`)), 12),
  };
}

async function sampleRow(deps: TicketSearchDeps, doc: LoadedDocument, messages: ThreadMessage[]): Promise<SampleRow> {
  const question = messages.find((m) => m.role === "customer")?.text ?? doc.title;
  const neighbours = await findSimilarTickets(deps, question, { limit: 7, excludeIds: new Set([doc.id]) });
  const vote = voteIntent(neighbours);
  const byProduct = await Promise.all(neighbours.map(async ({ category: _category, ...t }) => {
    const product = (await deps.store.getDocument(t.collection, t.documentId))?.product;
    return product ? { ...t, category: product } : t;
  }));
  return {
    id: doc.id,
    question,
    category: doc.ticket?.category ?? null,
    predicted: vote.category,
    confidence: vote.confidence,
    product: doc.product ?? null,
    predictedProduct: voteIntent(byProduct).category,
    similar: neighbours.slice(0, 3).map((t) => ({ documentId: t.documentId, subject: t.subject, category: t.category ?? null, similarity: t.similarity })),
  };
}

async function intentAccuracy(deps: TicketSearchDeps, threads: Array<{ doc: LoadedDocument; messages: ThreadMessage[] }>) {
  const t0 = performance.now();
  const rows: SampleRow[] = [];
  for (const t of threads) rows.push(await sampleRow(deps, t.doc, t.messages));
  return {
    tickets: rows.length,
    accuracy: accuracy(rows),
    ...productAccuracy(rows),
    msPerTicket: round((performance.now() - t0) / Math.max(1, rows.length)),
  };
}

/** k-NN accuracy on the product label, and what always guessing the commonest product would score. */
function productAccuracy(rows: readonly SampleRow[]): { productAccuracy: number; productMajorityBaseline: number } {
  const labelled = rows.filter((r) => r.product !== null);
  const counts = countBy(labelled.map((r) => r.product!), 1);
  const majority = Object.values(counts)[0] ?? 0;
  return {
    productAccuracy: labelled.length === 0 ? 0 : round(labelled.filter((r) => r.predictedProduct === r.product).length / labelled.length),
    productMajorityBaseline: labelled.length === 0 ? 0 : round(majority / labelled.length),
  };
}

function accuracy(rows: ReadonlyArray<Pick<SampleRow, "category" | "predicted">>): number {
  const labelled = rows.filter((r) => r.category !== null);
  return labelled.length === 0 ? 0 : round(labelled.filter((r) => r.predicted === r.category).length / labelled.length);
}

function countBy(values: readonly string[], top = 50): Record<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]).slice(0, top));
}

function quantiles(values: number[]): { p10: number; p50: number; p90: number } {
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
  return { p10: q(0.1), p50: q(0.5), p90: q(0.9) };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function render(r: Record<string, unknown> & { sample: { rows: SampleRow[] } }): string {
  const { sample, ...rest } = r;
  const { rows, ...sampleSummary } = sample;
  const lines = [JSON.stringify({ ...rest, sample: sampleSummary }, null, 2), "", "sample (leave-one-out: the ticket itself is excluded):"];
  for (const row of rows) {
    const mark = row.category === null ? " " : row.predicted === row.category ? "✓" : "✗";
    lines.push(`${mark} ${row.id} [${row.category ?? "-"} → ${row.predicted ?? "-"} ${row.confidence}] ${row.question.replace(/\s+/g, " ").slice(0, 90)}`);
    for (const s of row.similar) lines.push(`     ${s.similarity.toFixed(2)} ${s.documentId} [${s.category ?? "-"}] ${s.subject.replace(/\s+/g, " ").slice(0, 70)}`);
  }
  return lines.join("\n");
}
