import type { Source } from "../domain/answer.js";
import { MARKER_RE } from "./overlap.js";

/** What the verifier knows of a drafted sentence that matters here (see verify-citations.ts). */
export interface LineDraft {
  /** Line of the reply the sentence is on. */
  line: number;
  reason: string | undefined;
  valid: number[];
  /** Kept without a marker of its own. */
  connector: boolean;
}

/**
 * An uncited line of a command block survives when the lines below it, down to a kept cited line, are each a whole
 * line of a source that line cites: the extractive composer cites a block once, after its last line, so a command
 * pasted into a shell carries no marker. A line is judged whole: console output the splitter cut into sentences
 * ("Scanning Lists..." / "Done [1]") is one line of the source, vouched for by its own cited end or the line below.
 */
export function keepVerbatimLines<D extends LineDraft>(drafts: readonly D[], byN: ReadonlyMap<number, Source>, plain: (d: D) => string): void {
  for (let i = drafts.length - 1; i >= 0; ) {
    let first = i;
    while (first > 0 && drafts[first - 1]!.line === drafts[i]!.line) first--;
    const line = drafts.slice(first, i + 1);
    const last = line[line.length - 1]!;
    const below = drafts[i + 1];
    const own = last.reason === undefined && !last.connector;
    const vouch = own ? last : below !== undefined && below.reason === undefined && below.line === last.line + 1 ? below : undefined;
    const open = line.filter((d) => d.reason === "no-citation");
    i = first - 1;
    if (!vouch || open.length === 0 || open.length !== line.length - (own ? 1 : 0)) continue;
    const text = line.map(plain).join(" ");
    const sources = vouch.valid.map((n) => byN.get(n)?.text ?? "");
    if (!sources.some((t) => isSourceLine(t, text))) continue;
    for (const d of open) {
      d.reason = undefined;
      d.valid = vouch.valid;
      d.connector = true;
    }
  }
}

/** Whether `line`, as quoted, is a whole line of the source text `text` (see {@link sameLine}). */
export function isSourceLine(text: string, line: string): boolean {
  return text.split("\n").some((l) => sameLine(l, line));
}

/**
 * Whether a source line is `line` as quoted: spacing aside, and with the bracketed numbers a composer writes in
 * parentheses so they are not read as citations ("$argv[1]" quoted as "$argv(1)").
 */
function sameLine(sourceLine: string, line: string): boolean {
  const l = sourceLine.replace(/\s+/g, " ").trim();
  return l === line || l.replace(MARKER_RE, (m) => `(${m.slice(1, -1)})`) === line;
}
