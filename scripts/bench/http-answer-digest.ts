import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

/**
 * A SHA-256 digest of the `/answer` response bodies a running API gives for the first N questions of a bench
 * question file (or a dataset's questions.jsonl), one request at a time, each body with its per-request `id` and
 * `timings` left out (they differ on every call). Performance work on the HTTP path compares the digests of two
 * builds serving the same DATA_DIR: equal digests = the same bodies. Prints the digest, the request count, and
 * the status counts.
 *
 *   tsx scripts/bench/http-answer-digest.ts URL QUESTIONS_FILE [--limit N]
 *
 * The API for a bench DATA_DIR: `tsx scripts/bench/http-server-child.ts DATA_DIR 8` (prints "port N").
 */
const { positionals, values } = parseArgs({ allowPositionals: true, options: { limit: { type: "string" } } });
const [url, file] = positionals;
if (!url || !file) {
  process.stderr.write("usage: tsx scripts/bench/http-answer-digest.ts URL QUESTIONS_FILE [--limit N]\n");
  process.exit(2);
}
const questions = readQuestions(file).slice(0, values.limit ? Number(values.limit) : undefined);
const hash = createHash("sha256");
const statuses = new Map<number, number>();
for (const question of questions) {
  const res = await fetch(new URL("/answer", url), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) });
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  const body: unknown = await res.json();
  hash.update(`${res.status}\u0000${JSON.stringify(stable(body))}\u0000`);
}
process.stdout.write(`${JSON.stringify({ digest: hash.digest("hex"), requests: questions.length, statuses: Object.fromEntries(statuses) })}\n`);

/** The body without what differs on every call (`id`, `timings`). */
function stable(body: unknown): unknown {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
  const { id: _id, timings: _timings, ...rest } = body as Record<string, unknown>;
  return rest;
}

/** A JSON array of strings (bench question files) or JSON lines with a `question` field (datasets). */
function readQuestions(path: string): string[] {
  const text = readFileSync(path, "utf8");
  if (text.trimStart().startsWith("[")) {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed) || !parsed.every((q): q is string => typeof q === "string")) throw new Error(`${path}: expected an array of strings`);
    return parsed;
  }
  return text.split("\n").filter((l) => l.trim() !== "").map((line, i) => {
    const parsed: unknown = JSON.parse(line);
    const q = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>).question : undefined;
    if (typeof q !== "string") throw new Error(`${path}:${i + 1}: no question`);
    return q;
  });
}
