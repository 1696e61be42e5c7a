import { parseArgs } from "node:util";
import { createAnswering, openEngine } from "../src/container.js";
import { runCli, UsageError } from "../src/cli/run-cli.js";
import type { Answer } from "../src/domain/answer.js";

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
    const answer = await answering.answer({ question, ...(collection ? { filters: { collections: [collection] } } : {}) });
    process.stdout.write(parsed.values.json ? `${JSON.stringify(answer, null, 2)}\n` : `${render(answer)}\n`);
  } finally {
    await engine.close();
  }
});

function render(a: Answer): string {
  const lines = [a.answer, ""];
  for (const c of a.citations) {
    const where = [c.sectionPath.join(" > "), c.page !== undefined ? `p. ${c.page}` : ""].filter(Boolean).join(", ");
    lines.push(`[${c.n}] ${c.title}${where ? ` — ${where}` : ""} (${c.documentId})`);
  }
  lines.push(`confidence ${a.confidence.toFixed(2)}  answerable ${a.answerable}  escalate ${a.escalate}${a.degraded ? "  degraded" : ""}  ${a.timings.totalMs.toFixed(1)} ms`);
  return lines.join("\n");
}
