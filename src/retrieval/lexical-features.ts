import type { ChunkTermLists } from "../domain/chunk.js";
import { queryTerms } from "../text/analyzer.js";
import { compoundRewriter } from "./compounds.js";
import { bm25, queryTermFrequencies, type Bm25Params } from "./passages.js";

/**
 * Lexical evidence of one candidate chunk for a query, each a raw score (normalised later across candidates):
 * - passage: BM25 of the best overlapping window (heading + ~40 terms), so a long section is judged by its most
 *   relevant passage rather than diluted by the rest;
 * - section: BM25 of the whole chunk with milder length normalisation (b = 0.5), which rewards sections that
 *   answer several parts of a compound question;
 * - coverage: IDF-weighted share of the query's terms found anywhere in the chunk or its heading;
 * - proximity: share of the query's adjacent term pairs that also stand side by side in the chunk ("picture mode",
 *   "家校通知"), the phrase evidence bag-of-words BM25 ignores;
 * - lead: BM25 of the heading and the first terms of a document's first chunk: support answers state their topic
 *   up front;
 * - questionHeading: when the chunk's own heading (the last element of its section path) is itself a question — an
 *   FAQ entry such as "How do I put a package on hold?" — how well it and the question say the same thing: the
 *   IDF-weighted share of the question's terms in the heading times the share of the heading's terms in the
 *   question. Asking the question a heading asks is strong evidence; a topic heading ("Account setup") is not
 *   scored here, since its words already count in the BM25 title field;
 * - topicHeading: the same match for a topic heading ("Installing an alternative init system") sharing at least two of
 *   the question's terms: a heading that names most of what is asked marks the section that answers it.
 */
export interface LexicalFeatures {
  passage: number;
  section: number;
  coverage: number;
  proximity: number;
  lead: number;
  questionHeading: number;
  topicHeading: number;
}

export interface LexicalSettings {
  /** Window length and step, in analyzer terms. */
  window: number;
  stride: number;
  /** Terms of a first chunk that count as its lead. */
  lead: number;
  passageBm25: Bm25Params;
  sectionBm25: Bm25Params;
}

export const DEFAULT_LEXICAL_SETTINGS: LexicalSettings = {
  window: 40,
  stride: 20,
  lead: 20,
  passageBm25: { k1: 1.2, b: 0.75 },
  sectionBm25: { k1: 0.9, b: 0.5 },
};

/**
 * A candidate needs a position (for the lead feature), its section path (for the question-heading feature; absent =
 * no heading) and, through `termsOf`, its analyzer terms.
 */
export interface Positioned {
  position: number;
  sectionPath?: readonly string[];
}

/**
 * Features of each candidate, in order. `terms` are the query's terms in order (repeats allowed: each counts once,
 * but the adjacent pairs of the proximity feature come from this order); `idf` maps every query term to its weight
 * (missing terms weigh 0); `termsOf` gives a candidate's terms (as stored at ingest, or `chunkTerms` of a chunk).
 */
export function lexicalFeatures<T extends Positioned>(
  terms: readonly string[],
  candidates: readonly T[],
  idf: ReadonlyMap<string, number>,
  termsOf: (candidate: T) => ChunkTermLists,
  settings: LexicalSettings = DEFAULT_LEXICAL_SETTINGS,
): LexicalFeatures[] {
  const termSet = new Set(terms);
  const compounds = compoundRewriter(terms);
  const tokens = candidates.map((c) => (compounds ? compounds.rewrite(termsOf(c)) : termsOf(c)));
  // Average lengths over the candidates stand in for corpus averages: they only set the scale of length damping.
  const avgSection = mean(tokens.map((t) => t.titleTokens.length + t.bodyTokens.length));
  const avgHeading = mean(tokens.map((t) => t.titleTokens.length));
  const avgPassage = avgHeading + Math.min(settings.window, mean(tokens.map((t) => t.bodyTokens.length)));
  const pairs = adjacentPairs(terms);
  let totalIdf = 0;
  for (const t of termSet) totalIdf += idf.get(t) ?? 0;
  return candidates.map((chunk, i) => {
    const tok = tokens[i]!;
    // One scan of the body: where the query terms are (for the windows) and, with the heading's counts, the
    // whole-section frequencies in the same first-seen order a full scan gives (so sums add up identically).
    const heading = queryTermFrequencies(termSet, tok.titleTokens);
    const hits = queryTermPositions(termSet, tok.bodyTokens);
    const all = new Map(heading);
    for (const at of hits) {
      const t = tok.bodyTokens[at]!;
      all.set(t, (all.get(t) ?? 0) + 1);
    }
    let covered = 0;
    for (const t of all.keys()) covered += idf.get(t) ?? 0;
    return {
      passage: bestWindow(tok, heading, hits, idf, avgPassage, settings),
      section: bm25(all, tok.titleTokens.length + tok.bodyTokens.length, avgSection, idf, settings.sectionBm25),
      coverage: totalIdf > 0 ? covered / totalIdf : 0,
      proximity: pairs.size > 0 ? pairsFound(pairs, termSet, tok, hits) / pairs.size : 0,
      lead: chunk.position === 0 ? leadScore(tok, termSet, idf, avgHeading, settings) : 0,
      questionHeading: questionHeadingMatch(chunk.sectionPath?.at(-1), termSet, idf, totalIdf),
      topicHeading: topicHeadingMatch(chunk.sectionPath?.at(-1), termSet, idf, totalIdf),
    };
  });
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Positions of query terms in `tokens`, ascending. */
function queryTermPositions(terms: ReadonlySet<string>, tokens: readonly string[]): number[] {
  const hits: number[] = [];
  for (let i = 0; i < tokens.length; i++) if (terms.has(tokens[i]!)) hits.push(i);
  return hits;
}

/**
 * Best window by BM25 (`heading`: the query terms' counts in the heading; `hits`: query-term positions in the body);
 * only the positions of query terms are visited, so long chunks stay cheap.
 */
function bestWindow(tok: ChunkTermLists, heading: ReadonlyMap<string, number>, hits: readonly number[], idf: ReadonlyMap<string, number>, avg: number, s: LexicalSettings): number {
  if (heading.size === 0 && hits.length === 0) return 0;
  const size = Math.min(s.window, tok.bodyTokens.length);
  let best = 0;
  let first = 0;
  for (let start = 0; ; start += s.stride) {
    while (first < hits.length && hits[first]! < start) first++;
    const tf = new Map(heading);
    for (let k = first; k < hits.length && hits[k]! < start + size; k++) {
      const t = tok.bodyTokens[hits[k]!]!;
      tf.set(t, (tf.get(t) ?? 0) + 1);
    }
    best = Math.max(best, bm25(tf, tok.titleTokens.length + size, avg, idf, s.passageBm25));
    if (start + size >= tok.bodyTokens.length || first >= hits.length) break;
  }
  return best;
}

function leadScore(tok: ChunkTermLists, terms: ReadonlySet<string>, idf: ReadonlyMap<string, number>, avgHeading: number, s: LexicalSettings): number {
  const lead = tok.bodyTokens.slice(0, s.lead);
  const tf = queryTermFrequencies(terms, tok.titleTokens, lead);
  return bm25(tf, tok.titleTokens.length + lead.length, avgHeading + s.lead, idf, s.passageBm25);
}

/** A heading phrased as a question ends in a question mark (ASCII or full-width). */
const QUESTION_HEADING = /[?？]\s*$/;

/**
 * Recall × precision of a question heading against the question's terms. The heading is analysed like a question
 * (fillers such as "how do I" dropped) and its section numbers ("7.12") are ignored.
 */
function questionHeadingMatch(heading: string | undefined, terms: ReadonlySet<string>, idf: ReadonlyMap<string, number>, totalIdf: number): number {
  if (!heading || !QUESTION_HEADING.test(heading)) return 0;
  return headingMatch(heading, terms, idf, totalIdf, 1);
}

/**
 * Least number of distinct question terms a topic heading must share to be scored. One shared word is what the BM25
 * title field already counts, and a one-word heading ("dpkg") then matched with full precision: on pdf-manuals it
 * raised neighbouring sections that merely name a tool the question names (page recall@1 the same, two answers lost).
 */
export const MIN_TOPIC_SHARED = 2;

/**
 * The same recall × precision for a topic heading ("Installing an alternative init system"), when it shares at least
 * {@link MIN_TOPIC_SHARED} terms with the question: a heading that says most of what the question asks names the
 * section that answers it, where a passage of a neighbouring section may repeat the question's words more often.
 */
function topicHeadingMatch(heading: string | undefined, terms: ReadonlySet<string>, idf: ReadonlyMap<string, number>, totalIdf: number): number {
  if (!heading || QUESTION_HEADING.test(heading)) return 0;
  return headingMatch(heading, terms, idf, totalIdf, MIN_TOPIC_SHARED);
}

function headingMatch(heading: string, terms: ReadonlySet<string>, idf: ReadonlyMap<string, number>, totalIdf: number, minShared: number): number {
  if (totalIdf <= 0) return 0;
  const headingTerms = queryTerms(heading).filter((t) => !/^\d+$/.test(t));
  if (headingTerms.length === 0) return 0;
  const shared = new Set(headingTerms.filter((t) => terms.has(t)));
  if (shared.size < minShared) return 0;
  let recall = 0;
  for (const t of shared) recall += idf.get(t) ?? 0;
  const precision = headingTerms.filter((t) => shared.has(t)).length / headingTerms.length;
  return (recall / totalIdf) * precision;
}

function adjacentPairs(terms: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 1; i < terms.length; i++) if (terms[i - 1] !== terms[i]) out.add(`${terms[i - 1]}\u0000${terms[i]}`);
  return out;
}

/** Distinct query pairs side by side in the heading or the body (`hits`: query-term positions in the body, ascending). */
function pairsFound(pairs: ReadonlySet<string>, terms: ReadonlySet<string>, tok: ChunkTermLists, hits: readonly number[]): number {
  const found = new Set<string>();
  const seq = tok.titleTokens;
  for (let i = 1; i < seq.length; i++) {
    if (!terms.has(seq[i]!) || !terms.has(seq[i - 1]!)) continue;
    const p = `${seq[i - 1]}\u0000${seq[i]}`;
    if (pairs.has(p)) found.add(p);
  }
  // Two body terms that are both query terms and side by side are consecutive hits: no second scan of the body.
  for (let k = 1; k < hits.length; k++) {
    if (hits[k]! !== hits[k - 1]! + 1) continue;
    const p = `${tok.bodyTokens[hits[k - 1]!]}\u0000${tok.bodyTokens[hits[k]!]}`;
    if (pairs.has(p)) found.add(p);
  }
  return found.size;
}
