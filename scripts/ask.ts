import { parseArgs } from "node:util";
import { createAnswering, openEngine } from "../src/container.js";
import { triageAnswer, type TriagedAnswer } from "../src/assist/create-assist.js";
import { runCli, UsageError } from "../src/cli/run-cli.js";

const USAGE = 'usage: npm run ask -- "question" [--json] [--collection NAME]';

/** `npm run ask`: answer one question from DATA_DIR with citations, or refuse honestly. */
await runCli(async (config, argv) => {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: "boolean" }, collection: { type: "string" } } });
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
  const question = parsed.positionals.join(" ").trim();
  if (!question) throw new UsageError(USAGE);
  if (question.length > 4000) throw new UsageError("the question is longer than 4000 characters");
  const engine = await openEngine(config);
  try {
    const answering = await createAnswering(engine);
    const collection = parsed.values.collection;
    // The same serving path as POST /answer: the answer use case with a per-question memo, then triage over it
    // (not recorded: operator look-ups are not served answers).
    const memo = answering.newMemo?.();
    const request = {
      question,
      ...(collection ? { filters: { collections: [collection] } } : {}),
      ...(memo ? { memo } : {}),
      onFallback: (reason: string) => process.stderr.write(`warning: the chat model fell back (${reason})\n`),
    };
    const computed = await answering.answer(request);
    const triageDeps = { retrieve: answering.retrieve, store: engine.store, embedder: engine.embedder, minConfidence: config.ANSWER_MIN_CONFIDENCE };
    const answer = await triageAnswer(triageDeps, request, computed);
    process.stdout.write(parsed.values.json ? `${JSON.stringify(answer, null, 2)}\n` : `${render(answer)}\n`);
  } finally {
    await engine.close();
  }
});

function render(a: TriagedAnswer): string {
  const lines = [a.answer, ""];
  for (const c of a.citations) {
    const where = [c.sectionPath.join(" > "), c.page !== undefined ? `p. ${c.page}` : ""].filter(Boolean).join(", ");
    lines.push(`[${c.n}] ${c.title}${where ? ` — ${where}` : ""} (${c.documentId})`);
  }
  lines.push(`triage: ${a.triage.language}, ${a.triage.sentiment.label}${a.triage.intent.category ? `, intent ${a.triage.intent.category}` : ""}`);
  lines.push(`confidence ${a.confidence.toFixed(2)}  answerable ${a.answerable}  escalate ${a.escalate}${a.degraded ? "  degraded" : ""}  ${a.timings.totalMs.toFixed(1)} ms`);
  return lines.join("\n");
}
