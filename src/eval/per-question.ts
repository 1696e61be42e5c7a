/**
 * `npm run eval -- --per-question FILE`: one JSON line per system and question — the outcome the dataset's scoring
 * records (for JSONL datasets the gold rank and top 10; for datasets of files the answer, citations, retrieved pages
 * and scores) — with the system's name first, to study misses question by question.
 */
export function perQuestionLines(results: Readonly<Record<string, readonly object[]>>): string {
  const lines: string[] = [];
  for (const [system, rs] of Object.entries(results)) for (const r of rs) lines.push(`${JSON.stringify({ system, ...r })}\n`);
  return lines.join("");
}
