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
  const heads = compoundHeads(terms);
  const splits = compoundSplits(sequence, terms);
  if (heads.size === 0 && splits.size === 0) return undefined;
  const compounds: Compounds = { heads, splits, kinds: termKinds(terms, heads, splits) };
  return {
    rewrite(lists) {
      const titleTokens = rewriteList(compounds, lists.titleTokens);
      const bodyTokens = rewriteList(compounds, lists.bodyTokens);
      return titleTokens === lists.titleTokens && bodyTokens === lists.bodyTokens ? lists : { titleTokens, bodyTokens };
    },
  };
}

/** What a rewriter matches candidate terms against (see the builders below). */
interface Compounds {
  /** First part → [question term, the rest of it]; the second part must start with the rest. */
  heads: Map<string, Array<readonly [string, string]>>;
  /** The joined form of two adjacent question terms (and its stem) → the two terms. */
  splits: Map<string, readonly [string, string]>;
  /** Per term a candidate may hold: QUESTION, or HEAD and/or SPLIT. */
  kinds: Map<string, number>;
}

/** Question terms that may be written apart, reached through their first part. */
function compoundHeads(terms: ReadonlySet<string>): Compounds["heads"] {
  const heads: Compounds["heads"] = new Map();
  for (const t of terms) {
    if (t.length < MIN_COMPOUND || !WORD_RE.test(t)) continue;
    for (let k = MIN_PART; k <= t.length - MIN_PART; k++) {
      const head = t.slice(0, k);
      const list = heads.get(head) ?? [];
      list.push([t, t.slice(k)]);
      heads.set(head, list);
    }
  }
  return heads;
}

/** Adjacent question terms that may be written together: the joined form (and its stem) → the two terms. */
function compoundSplits(sequence: readonly string[], terms: ReadonlySet<string>): Compounds["splits"] {
  const splits: Compounds["splits"] = new Map();
  for (let i = 1; i < sequence.length; i++) {
    const a = sequence[i - 1]!;
    const b = sequence[i]!;
    if (a === b || !WORD_RE.test(a) || !WORD_RE.test(b) || a.length + b.length < MIN_COMPOUND) continue;
    for (const joined of [a + b, stemOf(a + b)]) if (!terms.has(joined)) splits.set(joined, [a, b]);
  }
  return splits;
}

/** One lookup per candidate term (most are none of these): a question term, a compound's first part, or a split. */
function termKinds(terms: ReadonlySet<string>, heads: Compounds["heads"], splits: Compounds["splits"]): Compounds["kinds"] {
  const kinds: Compounds["kinds"] = new Map();
  for (const h of heads.keys()) kinds.set(h, HEAD);
  for (const j of splits.keys()) kinds.set(j, (kinds.get(j) ?? 0) | SPLIT);
  for (const t of terms) kinds.set(t, QUESTION);
  return kinds;
}

/** `tokens` with the compounds matched; the same array when nothing matched. */
function rewriteList(c: Compounds, tokens: string[]): string[] {
  let out: string[] | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const kind = c.kinds.get(t);
    if (kind === undefined || kind === QUESTION) {
      out?.push(t);
      continue;
    }
    // A hyphenated compound ("Set-Up") already comes with its joined form after its parts: not joined twice.
    const joined = kind & HEAD && i + 1 < tokens.length ? joinOf(c, t, tokens[i + 1]!) : undefined;
    const split = joined === undefined && kind & SPLIT ? c.splits.get(t) : undefined;
    if ((joined === undefined || tokens[i + 2] === joined) && split === undefined) {
      out?.push(t);
      continue;
    }
    out ??= tokens.slice(0, i);
    if (split === undefined) (out.push(joined!), i++);
    else out.push(split[0], split[1]);
  }
  return out ?? tokens;
}

/**
 * The question term `x` + `y` spells, joined or as the stem of the joined word (whose stem may be shorter than the
 * joined stems: "user" + "name" is "usernam"), unless `y` is a question term itself.
 */
function joinOf(c: Compounds, x: string, y: string): string | undefined {
  if (c.kinds.get(y) === QUESTION) return undefined;
  for (const [term, rest] of c.heads.get(x) ?? []) {
    if (y === rest) return term;
    if (y.startsWith(rest) && y.length - rest.length <= MAX_STEM_GAP && stemOf(x + y) === term) return term;
  }
  return undefined;
}
