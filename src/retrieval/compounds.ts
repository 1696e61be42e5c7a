import type { ChunkTermLists } from "../domain/chunk.js";
import { stemOf } from "../text/analyzer.js";

/**
 * Compounds written together on one side and apart on the other: a question about the "filesystem" and a manual
 * that says "the default file system is ext4", or "set up" asked and "setup" written. The analyzer cannot join every
 * pair of words at ingest (it would double the index), so re-ranking does it for the question's words only: in a
 * candidate's terms, two adjacent terms that together spell a question term become that term, and one term that
 * spells two adjacent question terms becomes those two. Stems are compared both as joined and as the stem of the
 * joined word ("user name" + "s" is "usernam", the stem of "usernames"). Latin letters only (CJK has its bigrams).
 */
export interface CompoundRewriter {
  /** The candidate's terms with the question's compounds matched (the same arrays when nothing matched). */
  rewrite(terms: ChunkTermLists): ChunkTermLists;
}

const WORD_RE = /^\p{Script=Latin}+$/u;
/** Shortest question term considered a compound, and shortest part: "setup" = "set" + "up". */
const MIN_COMPOUND = 5;
const MIN_PART = 2;
const HEAD = 1;
const SPLIT = 2;
/** A question term is never rewritten (nor joined: the question has that word itself). */
const QUESTION = 4;
/** Letters a word's stem may drop that its parts' stems keep ("usernames" → "usernam"; "name" → "name"). */
const MAX_STEM_GAP = 2;

/** A rewriter for a question's terms (`sequence`: in order, for its adjacent pairs); undefined when none applies. */
export function compoundRewriter(sequence: readonly string[]): CompoundRewriter | undefined {
  const terms = new Set(sequence);
  // Question terms that may be written apart, reached through their first part.
  // First part → [question term, the rest of it]; the second part must start with the rest.
  const heads = new Map<string, Array<readonly [string, string]>>();
  for (const t of terms) {
    if (t.length < MIN_COMPOUND || !WORD_RE.test(t)) continue;
    for (let k = MIN_PART; k <= t.length - MIN_PART; k++) {
      const head = t.slice(0, k);
      const list = heads.get(head) ?? [];
      list.push([t, t.slice(k)]);
      heads.set(head, list);
    }
  }
  // Adjacent question terms that may be written together: the joined form (and its stem) → the two terms.
  const splits = new Map<string, readonly [string, string]>();
  for (let i = 1; i < sequence.length; i++) {
    const a = sequence[i - 1]!;
    const b = sequence[i]!;
    if (a === b || !WORD_RE.test(a) || !WORD_RE.test(b) || a.length + b.length < MIN_COMPOUND) continue;
    for (const joined of [a + b, stemOf(a + b)]) if (!terms.has(joined)) splits.set(joined, [a, b]);
  }
  if (heads.size === 0 && splits.size === 0) return undefined;
  // One lookup per candidate term (most are none of these): a question term, a compound's first part, or a split.
  const kinds = new Map<string, number>();
  for (const h of heads.keys()) kinds.set(h, HEAD);
  for (const j of splits.keys()) kinds.set(j, (kinds.get(j) ?? 0) | SPLIT);
  for (const t of terms) kinds.set(t, QUESTION);
  const rewriteList = (tokens: string[]): string[] => {
    let out: string[] | undefined;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      const kind = kinds.get(t);
      if (kind === undefined || kind === QUESTION) {
        out?.push(t);
        continue;
      }
      // A hyphenated compound ("Set-Up") already comes with its joined form after its parts: not joined twice.
      const joined = kind & HEAD && i + 1 < tokens.length ? joinOf(t, tokens[i + 1]!) : undefined;
      const split = joined === undefined && kind & SPLIT ? splits.get(t) : undefined;
      if ((joined === undefined || tokens[i + 2] === joined) && split === undefined) {
        out?.push(t);
        continue;
      }
      out ??= tokens.slice(0, i);
      if (split === undefined) (out.push(joined!), i++);
      else out.push(split[0], split[1]);
    }
    return out ?? tokens;
  };
  /**
   * The question term `x` + `y` spells, joined or as the stem of the joined word (whose stem may be shorter than the
   * joined stems: "user" + "name" is "usernam"), unless `y` is a question term itself.
   */
  function joinOf(x: string, y: string): string | undefined {
    if (kinds.get(y) === QUESTION) return undefined;
    for (const [term, rest] of heads.get(x) ?? []) {
      if (y === rest) return term;
      if (y.startsWith(rest) && y.length - rest.length <= MAX_STEM_GAP && stemOf(x + y) === term) return term;
    }
    return undefined;
  }
  return {
    rewrite(lists) {
      const titleTokens = rewriteList(lists.titleTokens);
      const bodyTokens = rewriteList(lists.bodyTokens);
      return titleTokens === lists.titleTokens && bodyTokens === lists.bodyTokens ? lists : { titleTokens, bodyTokens };
    },
  };
}
