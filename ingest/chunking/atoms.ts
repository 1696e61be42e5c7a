import type { TextBlock } from "../../src/domain/document.js";
import { sentenceSpans, type TextSpan } from "../../src/text/sentences.js";
import { countTokens } from "../../src/text/tokens.js";

/** A trimmed span with its token count; `whole` when it is a complete sentence (only those may be overlap). */
export interface Atom {
  start: number;
  end: number;
  tokens: number;
  whole: boolean;
}

/** Consecutive atoms that belong together; `keep` when they are a block with its lead-in (one chunk if it fits). */
export interface AtomRun {
  atoms: Atom[];
  keep: boolean;
}

/** The span a block must stay in: its lead-in sentence and the block itself. */
export function keepSpan(block: TextBlock): TextSpan {
  return { start: Math.min(block.leadStart ?? block.start, block.start), end: block.end };
}

/**
 * Merges consecutive paragraph spans that one block's keep span joins (a code block with blank lines inside, or a
 * lead-in paragraph before its block), so a block and its lead-in are never in different paragraphs.
 */
export function mergeParagraphs(paragraphs: TextSpan[], blocks: readonly TextBlock[]): TextSpan[] {
  if (blocks.length === 0) return paragraphs;
  const spans = blocks.map(keepSpan);
  const out: TextSpan[] = [];
  for (const p of paragraphs) {
    const last = out[out.length - 1];
    if (last && spans.some((s) => s.start < last.end && s.end > p.start)) last.end = p.end;
    else out.push({ ...p });
  }
  return out;
}

/** Lines of `[start, end)` as atoms (table rows, code lines): never cut inside, never used as overlap. */
function lineAtoms(text: string, start: number, end: number): Atom[] {
  const atoms: Atom[] = [];
  let at = start;
  for (const line of text.slice(start, end).split("\n")) {
    const lineEnd = at + line.length;
    if (line.trim().length > 0) atoms.push({ start: at, end: lineEnd, tokens: countTokens(line), whole: false });
    at = lineEnd + 1;
  }
  return atoms;
}

/**
 * Runs of atoms for one paragraph `[start, end)`: prose sentences one run each (`sentences` cuts them), and each
 * block inside with its lead-in sentences as one `keep` run of line atoms.
 */
export function paragraphRuns(
  text: string,
  para: TextSpan,
  blocks: readonly TextBlock[],
  sentences: (from: number, to: number) => Atom[][],
): AtomRun[] {
  const inside = blocks.filter((b) => b.start < para.end && b.end > para.start);
  const runs: AtomRun[] = [];
  let at = para.start;
  for (const block of inside) {
    const keep = keepSpan(block);
    const leadFrom = Math.max(at, keep.start);
    for (const atoms of sentences(at, leadFrom)) runs.push({ atoms, keep: false });
    const lead = sentences(leadFrom, Math.max(leadFrom, block.start)).flat().map((a) => ({ ...a, whole: false }));
    const rows = lineAtoms(text, Math.max(block.start, para.start), Math.min(block.end, para.end));
    if (lead.length + rows.length > 0) runs.push({ atoms: [...lead, ...rows], keep: true });
    at = Math.min(block.end, para.end);
  }
  for (const atoms of sentences(at, para.end)) runs.push({ atoms, keep: false });
  return runs;
}

/** Sentence spans of `[from, to)` of `text`, as absolute spans. */
export function sentenceSpansIn(text: string, from: number, to: number, language?: string): TextSpan[] {
  if (to <= from) return [];
  return sentenceSpans(text.slice(from, to), language).map((s) => ({ start: from + s.start, end: from + s.end }));
}
