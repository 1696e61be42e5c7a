import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createAnswering, createEngineAssist, openAnalytics, openEngine } from "../src/container.js";
import { runCli, UsageError } from "../src/cli/run-cli.js";
import { InvalidInputError } from "../src/errors.js";
import { parseThreadText, threadInputSchema, type ThreadInput } from "../src/assist/thread.js";
import type { SuggestResult } from "../src/assist/suggest.js";
import { parseInput } from "../src/http/validate.js";

const USAGE = "usage: npm run suggest -- FILE [--product NAME] [--json]   (FILE: JSON {messages, product?} or text with Customer:/Agent: lines)";

/** `npm run suggest`: agent-assist suggestions for a support thread read from a file (nothing is recorded). */
await runCli(async (config, argv) => {
  const args = parseCliArgs(argv);
  const file = args.positionals[0];
  if (!file || args.positionals.length > 1) throw new UsageError(USAGE);
  const input = readThread(readFileSync(file, "utf8"));
  const product = args.values.product ?? input.product;
  const engine = await openEngine(config);
  const analytics = openAnalytics(engine);
  try {
    const answering = await createAnswering(engine);
    const assist = createEngineAssist(engine, answering, analytics);
    const result = await assist.suggest({ messages: input.messages, ...(product ? { product } : {}) });
    process.stdout.write(args.values.json ? `${JSON.stringify(result, null, 2)}\n` : `${render(result)}\n`);
  } finally {
    analytics.close();
    await engine.close();
  }
});

function parseCliArgs(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options: { json: { type: "boolean" }, product: { type: "string" } } });
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
}

/** JSON when it parses as an object, otherwise a plain-text thread. */
function readThread(text: string): ThreadInput {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (err) {
      throw new InvalidInputError(`the thread file is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    return parseInput(threadInputSchema, json, "file");
  }
  return parseInput(threadInputSchema, { messages: parseThreadText(trimmed).map((m) => ({ ...m, text: m.text.slice(0, 8000) })) }, "file");
}

function render(r: SuggestResult): string {
  const t = r.triage;
  const lines = [
    `triage: language ${t.language} · sentiment ${t.sentiment.label} (${t.sentiment.score}${t.sentiment.cues.length ? `; ${t.sentiment.cues.join(", ")}` : ""})` +
      ` · intent ${t.intent.category ?? "-"} (${t.intent.confidence}) · escalate ${t.escalate.recommended ? `YES: ${t.escalate.details.map((d) => `${d.reason} "${d.evidence}"`).join("; ")}` : "no"}`,
    "",
  ];
  r.suggestions.forEach((s, i) => {
    lines.push(`suggestion ${i + 1} (${s.basis}, ${s.tone}):`, s.text);
    for (const c of s.citations) lines.push(`  [${c.n}] ${c.title}${c.sectionPath.length ? ` — ${c.sectionPath.join(" > ")}` : ""} (${c.documentId})`);
    lines.push("");
  });
  lines.push("similar tickets:");
  for (const s of r.similarTickets) lines.push(`  ${s.similarity.toFixed(2)}  ${s.documentId}  [${s.category ?? "-"}]  ${s.subject}`);
  if (r.similarTickets.length === 0) lines.push("  (none)");
  return lines.join("\n");
}
