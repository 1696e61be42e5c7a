// `npm run eval-curated -- --dataset DIR [--pairs paraphrase|same-section] [--keep-sections] [--agreement LIST]`:
// how curated answers are found. For pairs of questions sharing a gold section, the first is curated (its reference
// answer as the answer text, held in memory and in a temporary DATA_DIR only, never written elsewhere), then the
// other is asked: is it answered from the curated answer? And two unrelated questions (the lexically nearest of
// another section, and a random one): are they wrongly answered from it? By default the pair's gold sections are
// taken out of the index while it is measured — a curated answer fills a gap the documentation leaves — and put back
// after (`--keep-sections` leaves them in, so the manual competes). Each curated answer is deleted before the next.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Config } from "../src/config.js";
import { createAnswering, curatedDeps, openCurated, openEngine, storeIdf, type Answering, type Engine } from "../src/container.js";
import { createCuratedAnswer, deleteCuratedAnswer } from "../src/curated/curated-answers.js";
import type { LoadedDocument } from "../src/domain/document.js";
import { curatedCases, type CuratedCase, type PairKind } from "../src/eval/curated-pairs.js";
import { readDataset, type EvalQuestion } from "../src/eval/dataset.js";
import { runCli, UsageError } from "../src/cli/run-cli.js";
import { queryTerms } from "../src/text/analyzer.js";
import { ingestDocuments } from "../ingest/pipeline.js";
import { ingestJsonlFiles } from "./lib/jsonl-ingest.js";

const USAGE =
  "usage: npm run eval-curated -- --dataset DIR [--pairs paraphrase|same-section] [--keep-sections] [--seed N] [--limit N] [--agreement LIST] [--operators on|off|both] [--json]";
type Role = "other" | "nearest" | "random" | "addsWord";
const ROLES: readonly Role[] = ["other", "nearest", "random", "addsWord"];

interface Tally { asked: number; fromCurated: number; firstCited: number; answered: number }
const tally = (): Tally => ({ asked: 0, fromCurated: 0, firstCited: 0, answered: 0 });

await runCli(async (config, argv) => {
  const { values } = parseOrUsage(argv);
  const kind = values.pairs ?? "paraphrase";
  if (!values.dataset || (kind !== "paraphrase" && kind !== "same-section")) throw new UsageError(USAGE);
  const agreements = (values.agreement ?? "0,0.5,0.6,0.7,0.8,0.9").split(",").map(Number);
  if (agreements.some((x) => !(x >= 0 && x <= 1))) throw new UsageError("--agreement takes numbers in [0, 1]");
  const operators = { on: [true], off: [false], both: [false, true] }[values.operators ?? "both"];
  if (!operators) throw new UsageError("--operators takes on, off or both");
  // Each setting: an agreement threshold, with or without the reversing-word check (curated-operators.ts).
  const thresholds = agreements.flatMap((agreement) => operators.map((checkOperators) => ({ agreement, checkOperators })));
  const dataset = readDataset(values.dataset);
  const dataDir = mkdtempSync(join(tmpdir(), "groundline-eval-curated-"));
  const engine = await openEngine({ ...config, DATA_DIR: dataDir } satisfies Config);
  const curated = openCurated(engine);
  try {
    const corpus = new Map((await ingestJsonlFiles(engine, [dataset.corpusFile])).flat().map((d) => [d.id, d]));
    // IDF of every question term, looked up once: the pairing compares many questions with each other.
    const idf = await storeIdf(engine.keywords)([...new Set(dataset.questions.flatMap((q) => queryTerms(q.question)))]);
    const overlap = (a: EvalQuestion, b: EvalQuestion): number => {
      const other = new Set(queryTerms(b.question));
      return queryTerms(a.question).filter((t) => other.has(t)).reduce((s, t) => s + (idf.get(t) ?? 0), 0);
    };
    const cases = curatedCases(dataset.questions, kind satisfies PairKind, overlap, Number(values.seed ?? 1)).slice(0, Number(values.limit ?? 1e9));
    const deps = curatedDeps(engine, curated);
    const answerings = await Promise.all(thresholds.map((t) => createAnswering(engine, { curated, answer: { curatedAgreement: t.agreement, curatedOperators: t.checkOperators } })));
    const results = thresholds.map(() => ({ other: tally(), nearest: tally(), random: tally(), addsWord: tally(), byOperator: {} as Record<string, Tally> }));
    let before = 0;
    for (const c of cases) {
      const gold = values["keep-sections"] ? [] : [...new Set([...c.curated.gold, ...c.other.gold])];
      await removeSections(engine, gold);
      if ((await answerings[0]!.answer({ question: c.other.question })).answerable) before++;
      const saved = await createCuratedAnswer(deps, { collection: "eval", question: c.curated.question, answer: c.curated.answer, author: "eval" });
      for (const [i, answering] of answerings.entries()) await askAll(answering, c, saved.id, results[i]!);
      await deleteCuratedAnswer(deps, "eval", saved.id);
      await restoreSections(engine, gold.flatMap((id) => corpus.get(id) ?? []));
    }
    const report = {
      dataset: dataset.dir, pairs: kind, goldSections: values["keep-sections"] ? "kept" : "removed while measured", cases: cases.length,
      otherAnsweredBeforeCuration: before, byAgreement: thresholds.map((t, i) => ({ ...t, ...results[i]! })),
    };
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : render(report));
  } finally {
    curated.close();
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

async function removeSections(engine: Engine, ids: readonly string[]): Promise<void> {
  for (const id of ids) await engine.store.deleteDocument("eval", id);
  await engine.indexes.catchUp();
}

async function restoreSections(engine: Engine, docs: readonly LoadedDocument[]): Promise<void> {
  if (docs.length === 0) return;
  await ingestDocuments({ store: engine.store, embedder: engine.embedder, redact: engine.redact }, docs, engine.ingestSettings("eval"));
  await engine.indexes.catchUp();
}

async function askAll(answering: Answering, c: CuratedCase, id: string, into: Record<Role, Tally> & { byOperator: Record<string, Tally> }): Promise<void> {
  for (const role of ROLES) {
    const a = await answering.answer({ question: c[role].question });
    // The adds-a-word near misses are also counted per added word (which operators the gate misses).
    const tallies = role === "addsWord" ? [into[role], (into.byOperator[c.operator] ??= tally())] : [into[role]];
    for (const t of tallies) {
      t.asked++;
      if (a.answerable) t.answered++;
      if (a.answerable && a.citations.some((x) => x.documentId === id)) t.fromCurated++;
      if (a.answerable && a.citations[0]?.documentId === id) t.firstCited++;
    }
  }
}

function render(r: { pairs: string; goldSections: string; cases: number; otherAnsweredBeforeCuration: number; byAgreement: Array<{ agreement: number; checkOperators: boolean; byOperator: Record<string, Tally> } & Record<Role, Tally>> }): string {
  const pct = (n: number, d: number): string => `${d > 0 ? ((100 * n) / d).toFixed(1) : "0.0"}%`;
  const lines = [
    `${r.cases} ${r.pairs} pairs, gold sections ${r.goldSections}; the other question answered before curation: ${pct(r.otherAnsweredBeforeCuration, r.cases)}`,
    "agreement, operators | other answered from curated (cited first) | nearest unrelated from curated | random unrelated from curated | adds a word, from curated",
  ];
  for (const row of r.byAgreement) {
    const left = `${`${row.agreement.toFixed(2)}, ${row.checkOperators ? "on" : "off"}`.padStart(20)} | ${pct(row.other.fromCurated, row.other.asked)} (${pct(row.other.firstCited, row.other.asked)})`;
    const right = `${pct(row.nearest.fromCurated, row.nearest.asked).padEnd(30)} | ${pct(row.random.fromCurated, row.random.asked).padEnd(29)}`;
    lines.push(`${left.padEnd(64)} | ${right} | ${pct(row.addsWord.fromCurated, row.addsWord.asked)}`);
  }
  for (const row of r.byAgreement) {
    const ops = Object.entries(row.byOperator).sort(([a], [b]) => a.localeCompare(b)).map(([op, t]) => `${op} ${t.fromCurated}/${t.asked}`);
    lines.push(`adds a word, from curated, by word (${row.agreement.toFixed(2)}, ${row.checkOperators ? "on" : "off"}): ${ops.join(", ")}`);
  }
  return `${lines.join("\n")}\n`;
}

function parseOrUsage(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: { dataset: { type: "string" }, pairs: { type: "string" }, "keep-sections": { type: "boolean" }, seed: { type: "string" }, limit: { type: "string" }, agreement: { type: "string" }, operators: { type: "string" }, json: { type: "boolean" } },
    });
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
}
