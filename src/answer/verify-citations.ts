import type { BoundedMemo } from "../text/bounded-memo.js";
import type { Citation, Source } from "../domain/answer.js";
import { CJK_CHARS, CJK_PUNCT_CHARS } from "../text/cjk.js";
import { splitSentences, startsWithListMarker } from "../text/sentences.js";
import { MARKER_RE, contentTerms, isShortConnector, overlapWithTerms } from "./overlap.js";
import { codeSpans, insideSpan } from "../text/protected-spans.js";
import { SourcePages } from "./cited-pages.js";
import { sentenceTermsOf, type SourceMemos } from "./source-memos.js";
import { contactsFound } from "./verify-contacts.js";
import { LEAD_OUT_END_RE } from "./extractive-blocks.js";
import { isSourceLine, keepVerbatimLines } from "./verify-verbatim.js";

/**
 * Verification of a drafted reply against the sources it cites: the defence against invented citations and
 * prompt injection. A sentence survives only if it cites at least one source that was actually given and its
 * content terms are mostly found in the cited sources' text; links, e-mail addresses and phone numbers must be
 * verbatim in those sources. Surviving markers are renumbered 1..k in order of first use — one number per source and
 * page: a chunk running over a page break is cited on the page of each quoted sentence (see cited-pages.ts).
 */

export type RemovalReason = "no-citation" | "unknown-source" | "unsupported";

export interface VerifyOptions {
  /** Least share of a sentence's content terms found in its cited sources (default 0.5). */
  minSupport?: number;
  /** Fewer surviving cited sentences than this → refusal (default 1). */
  minSentences?: number;
  /** Language of the reply, for sentence splitting. */
  language?: string;
  /**
   * Remembers sources' content terms, sentence spans, page spans and sentences' terms across replies (a popular chunk
   * is cited again and again; spans and sentence terms shared with the composer's); none when absent.
   */
  sourceMemos?: Partial<Pick<SourceMemos, "terms" | "spans" | "pages" | "sentenceTerms">>;
}

export interface VerifiedAnswer {
  text: string;
  citations: Citation[];
  removed: Array<{ sentence: string; reason: RemovalReason }>;
  refused: boolean;
}

/** Stands in for one marker group while sentences are split: ICU would otherwise cut inside "[3]". */
const SLOT = "\uE000";
const SLOT_RE = /\uE000/g;
const LEADING_SLOTS_RE = /^[\s\uE000]*\uE000/u;
const CONNECTOR_END_RE = /[:：]\s*$/u;
const LIST_PREFIX_RE = /^\s*(?:[-*+•●▪]|\(?\d{1,3}[.)、]|\(?[a-z][.)]|[①-⑳])\s*/iu;
const EMPHASIS_RE = /[*_`#]+/g;
const CJK_EDGE_RE = new RegExp(`[${CJK_CHARS}${CJK_PUNCT_CHARS}]`, "u");
/** A whitespace-delimited token holding a URL (markers glued to or inside it included). */
const URL_START_RE = /(?:https?|ftp):\/\/|www\./i;
const TRAILING_PUNCT_RE = /[.,;:!)\]}】。，！]+$/u;

interface Draft {
  line: number;
  /** Sentence text with one SLOT per marker group. */
  text: string;
  groups: number[][];
  raw: string[];
  valid: number[];
  /** Pages into each valid source of the sentence it quotes (see SourcePages). */
  pages: Map<number, number>;
  reason: RemovalReason | undefined;
  connector: boolean;
  /** A wordless line ("}") kept only as the last line of the block above it. */
  bare?: boolean;
  /** `text` as plain words (see `plain`), once made. */
  plain?: string;
}

/**
 * Keeps the reply's supported, correctly cited sentences and rewrites their markers; see the module comment.
 * `[n, m]`, `[n][m]` and `【n】` markers are understood. Never returns a citation for a source not in `sources`.
 */
export function verifyAnswer(text: string, sources: Source[], options: VerifyOptions = {}): VerifiedAnswer {
  const minSupport = options.minSupport ?? 0.5;
  const byN = new Map<number, Source>();
  for (const s of sources) if (!byN.has(s.n)) byN.set(s.n, s);
  const drafts = draftSentences(text, options.language);
  const termsOf = memo((n: number) => sourceTerms(byN.get(n), options.sourceMemos?.terms));
  const sentenceTerms = (sentence: string): Set<string> => sentenceTermsOf(sentence, options.sourceMemos?.sentenceTerms);
  const check: SupportCheck = { byN, termsOf, sentenceTerms, minSupport };
  for (const d of drafts) d.reason = judge(d, check);
  keepConnectors(drafts);
  keepVerbatimLines(drafts, byN, plain);
  // A wordless line left without the block line above it would be an answer of its own: "} [1]".
  drafts.forEach((d, i) => {
    if (d.bare && !(drafts[i - 1]?.reason === undefined && drafts[i - 1]?.line === d.line - 1)) d.reason = "unsupported";
  });
  keepLeadOuts(drafts, check);
  const removed = drafts.flatMap((d) => (d.reason ? [{ sentence: restore(d), reason: d.reason }] : []));
  const kept = drafts.filter((d) => d.reason === undefined);
  const cited = kept.filter((d) => !d.connector).length;
  if (cited < (options.minSentences ?? 1)) return { text: "", citations: [], removed, refused: true };
  const pages = new SourcePages(byN, options.language, options.sourceMemos);
  const renumber = new Map<string, number>();
  // Uncited kept lines (connectors, command lines above their cited last line) carry no marker to number.
  const marked = kept.filter((d) => !d.connector);
  for (const d of marked) {
    for (const n of d.valid) {
      d.pages.set(n, pages.pageOfClaim(n, plain(d)));
      const key = pageKey(d, n);
      if (!renumber.has(key)) renumber.set(key, renumber.size + 1);
    }
  }
  return { text: rebuild(text, kept, renumber), citations: citationsFor(marked, renumber, pages), removed, refused: false };
}

/** Source `n` on the page `d` quotes: what one citation number stands for. */
function pageKey(d: Draft, n: number): string {
  return `${n}:${d.pages.get(n) ?? 0}`;
}

function citationsFor(kept: readonly Draft[], renumber: ReadonlyMap<string, number>, pages: SourcePages): Citation[] {
  const out: Citation[] = [];
  for (const [key, n] of renumber) {
    const [source, pagesIn] = key.split(":").map(Number) as [number, number];
    const claims = kept.filter((d) => d.valid.includes(source) && pageKey(d, source) === key).map(plain).join("\n");
    const citation = pages.citation(source, n, pagesIn, claims);
    if (citation) out.push(citation);
  }
  return out;
}

function memo<K, V>(fn: (k: K) => V): (k: K) => V {
  const cache = new Map<K, V>();
  return (k) => {
    if (!cache.has(k)) cache.set(k, fn(k));
    return cache.get(k) as V;
  };
}

/** The set is only read, so a remembered one may be shared between replies. */
function sourceTerms(source: Source | undefined, memo: BoundedMemo<Set<string>> | undefined): Set<string> {
  if (!source) return new Set();
  const text = [source.title, ...source.sectionPath, source.text].join("\n");
  return memo ? memo.get(text, () => contentTerms(text)) : contentTerms(text);
}

function parseGroup(marker: string): number[] {
  return (marker.match(/\d+/g) ?? []).map(Number);
}

/** Sentences of each line, with marker groups swapped for slots and leading slots moved to the sentence before. */
function draftSentences(text: string, language: string | undefined): Draft[] {
  const groups: string[] = [];
  // A slot character already in the draft would be mistaken for a marker.
  const prepared = markersOutOfUrls(text.replace(SLOT_RE, ""));
  const code = codeSpans(prepared);
  const slotted = prepared.replace(MARKER_RE, (m: string, offset: number) => {
    // "[2]" inside `items[2]` is code, not a citation: left as written.
    if (insideSpan(code, offset)) return m;
    groups.push(m);
    return SLOT;
  });
  const drafts: Draft[] = [];
  let next = 0;
  slotted.split("\n").forEach((line, lineNo) => {
    if (line.trim() === "") return;
    splitSentences(line, language).forEach((sentence, k) => {
      const lead = LEADING_SLOTS_RE.exec(sentence)?.[0] ?? "";
      const body = sentence.slice(lead.length).trim();
      const prev = drafts[drafts.length - 1];
      // "End. [1] Next" splits before the marker: it belongs to the sentence before, on this line (or, for a
      // line that is only a marker, to the line before).
      const toPrev = lead !== "" && prev !== undefined && (k > 0 || body === "");
      if (toPrev) prev.text += (CJK_EDGE_RE.test(prev.text.slice(-1)) || prev.text.endsWith(SLOT) ? "" : " ") + lead.trim();
      if (body !== "") drafts.push({ line: lineNo, text: (toPrev ? "" : lead.trim()) + body, groups: [], raw: [], valid: [], pages: new Map(), reason: undefined, connector: false });
    });
  });
  for (const d of drafts) {
    const count = d.text.match(SLOT_RE)?.length ?? 0;
    d.raw = groups.slice(next, next + count);
    d.groups = d.raw.map(parseGroup);
    next += count;
  }
  return drafts;
}

/**
 * A marker drafted inside a URL ("…/steal?[1]x=1") would be rewritten in place and split the link: it moves after
 * the URL (before trailing punctuation), so markers only ever stand between words.
 */
function markersOutOfUrls(text: string): string {
  if (!text.includes("://") && !/www\./i.test(text)) return text;
  // Token by token (not one regex over the text): linear however long a space-free run is.
  return text.replace(/\S+/g, (token) => {
    const markers = URL_START_RE.test(token) ? token.match(MARKER_RE) : null;
    if (!markers) return token;
    const bare = token.replace(MARKER_RE, "");
    const tail = TRAILING_PUNCT_RE.exec(bare)?.[0] ?? "";
    return `${bare.slice(0, bare.length - tail.length)} ${markers.join("")}${tail}`;
  });
}

/** The sentence without its markers, whitespace collapsed; made once (read only after drafting settled `text`). */
function plain(d: Draft): string {
  return (d.plain ??= d.text.replace(SLOT_RE, " ").replace(/\s+/g, " ").trim());
}

function restore(d: Draft): string {
  let i = 0;
  return d.text.replace(SLOT_RE, () => d.raw[i++] ?? "");
}

/** What judging a sentence's support reads: the sources, their terms, a sentence's terms (remembered), the threshold. */
interface SupportCheck {
  byN: ReadonlyMap<number, Source>;
  termsOf: (n: number) => Set<string>;
  sentenceTerms: (sentence: string) => Set<string>;
  minSupport: number;
}

function judge(d: Draft, check: SupportCheck): RemovalReason | undefined {
  const { byN } = check;
  const cited = [...new Set(d.groups.flat())];
  d.valid = cited.filter((n) => byN.has(n));
  if (cited.length === 0) return "no-citation";
  if (d.valid.length === 0) return "unknown-source";
  if (supported(plain(d), d.valid, check)) return undefined;
  // A line of no words ("}") quoted whole ends a command block cited once, after it: the lines above are checked.
  const line = plain(d);
  d.bare = check.sentenceTerms(line).size === 0 && d.valid.some((n) => isSourceLine(byN.get(n)?.text ?? "", line));
  return d.bare ? undefined : "unsupported";
}

/** Enough of the sentence's content terms are in the cited sources, and its links and numbers verbatim. */
function supported(sentence: string, cited: readonly number[], { byN, termsOf, sentenceTerms, minSupport }: SupportCheck): boolean {
  const union = new Set<string>();
  for (const n of cited) for (const t of termsOf(n)) union.add(t);
  const body = sentence.replace(LIST_PREFIX_RE, "");
  if (overlapWithTerms(body, union, sentenceTerms(body)) < minSupport) return false;
  return contactsFound(body, () => cited.map((n) => byN.get(n)?.text ?? "").join("\n"));
}

/** An uncited short "Here is how:" survives only when the next sentence is a kept, cited list step. */
function keepConnectors(drafts: Draft[]): void {
  drafts.forEach((d, i) => {
    if (d.reason !== "no-citation") return;
    const next = drafts[i + 1];
    const text = plain(d).replace(EMPHASIS_RE, "").trim();
    if (!CONNECTOR_END_RE.test(text) || !isShortConnector(text)) return;
    if (!next || next.reason !== undefined || !startsWithListMarker(plain(next))) return;
    d.reason = undefined;
    d.connector = true;
  });
}

/**
 * An uncited lead-out ending its line ("…export the list of selections with:") survives when the block under it
 * ends in a kept cited line whose sources support it: the citation after the block covers the lead-out too.
 */
function keepLeadOuts(drafts: Draft[], check: SupportCheck): void {
  drafts.forEach((d, i) => {
    if (d.reason !== "no-citation" || drafts[i + 1]?.line === d.line || !LEAD_OUT_END_RE.test(plain(d))) return;
    const cited = drafts.slice(i + 1).find((later) => later.reason === undefined && !later.connector);
    if (!cited || !supported(plain(d), cited.valid, check)) return;
    d.reason = undefined;
    d.valid = cited.valid;
    d.connector = true;
  });
}

/** Rewrites one sentence's slots with renumbered markers; groups left without a valid source vanish. */
function rewrite(d: Draft, renumber: ReadonlyMap<string, number>): string {
  let i = 0;
  return d.text
    .replace(/\s*\uE000/g, (m) => {
      const nums = [...new Set((d.groups[i++] ?? []).filter((n) => d.valid.includes(n)).map((n) => renumber.get(pageKey(d, n))).filter((n): n is number => n !== undefined))];
      return nums.length === 0 ? "" : `${m.slice(0, -1)}[${nums.join(", ")}]`;
    })
    .trim();
}

/** No space between sentences where either side is CJK ("…秒。[1]请…"), one space otherwise. */
function joinSentences(left: string, right: string): string {
  const leftEnd = left.replace(/(?:\s*\[[\d, ]+\])+$/, "").slice(-1);
  return CJK_EDGE_RE.test(leftEnd) || CJK_EDGE_RE.test(right.charAt(0)) ? `${left}${right}` : `${left} ${right}`;
}

/** Kept sentences line by line; blank lines between kept paragraphs survive as one blank line. */
function rebuild(text: string, kept: readonly Draft[], renumber: ReadonlyMap<string, number>): string {
  const lines: Array<string | null> = text.split("\n").map((l) => (l.trim() === "" ? "" : null));
  for (const d of kept) {
    const sentence = rewrite(d, renumber);
    const current = lines[d.line];
    lines[d.line] = current ? joinSentences(current, sentence) : sentence;
  }
  return lines
    .filter((l): l is string => l !== null)
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
