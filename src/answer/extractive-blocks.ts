import type { BoundedMemo } from "../text/bounded-memo.js";
import type { Source } from "../domain/answer.js";
import { CJK_CHARS } from "../text/cjk.js";
import { startsWithListMarker } from "../text/sentences.js";
import { sentenceTermsOf, sourceSentenceSpans, type SourceMemos } from "./source-memos.js";
import { usSpelling } from "./spelling-variants.js";
import { consoleLines } from "./extractive-console.js";
import { markTitles } from "./extractive-titles.js";
import { CLOSING_PUNCT, isHeadingLine, LEAD_OUT_END_RE, linesAfterLeadOut, rejoinBroken, ROW_RE, wordCount } from "./extractive-lines.js";

export { isHeadingLine, LEAD_OUT_END_RE, ROW_RE, wordCount };

/**
 * How the extractive composer sees a source: its sentences with their block structure (list items, table rows,
 * lead-ins, heading-like lines, paragraph starts, command blocks). How selected sentences are written back as a
 * cited reply: extractive-render.ts.
 */
export interface Sentence {
  text: string;
  terms: Set<string>;
  words: number;
  /** Index of the sentence starting the list item or table row this sentence belongs to; -1 for prose. */
  group: number;
  ordered: boolean;
  /** Introduces the list that follows it ("Pair it as follows:", "To reset from the app"). */
  leadIn: boolean;
  /** Headings, table headers and rules: never selected on their own. */
  skip: boolean;
  /** A short line without closing punctuation: a menu path step or label ("Settings", "Picture Mode"). */
  label: boolean;
  /** Follows a blank line: a new paragraph (a topic boundary for span extension). */
  paragraph: boolean;
  /** Contains a question term itself (not only through the section path). */
  own: boolean;
  /** Holds a literal a customer can act on: a command option, path, setting, key, model-like name or quantity. */
  literal: boolean;
  /**
   * A whole line of a block introduced by a lead-out ("…as follows:"): a command or code line. Such lines are
   * answered one per line, never re-joined into prose (joined, `sync` after `cp …` would become a shell comment).
   */
  verbatim: boolean;
  score: number;
}

export interface Doc {
  source: Source;
  rank: number;
  sentences: Sentence[];
}

const ORDERED_RE = /^\s*(?:\(?\d{1,3}[.)]|\(?[a-z][.)]|(?:step|schritt|étape|paso)\s*\d|第[一二三四五六七八九十百\d]+[步条項项]|[（(]?[一二三四五六七八九十]+[、．）)]|\d{1,3}、|[①-⑳])/iu;
const TABLE_RULE_RE = /^\s*\|?[\s:|-]*-[\s:|-]*$/;
/**
 * A Markdown heading ("# Setup"); not a root shell prompt ("# passwd", "# /etc/init.d/cryptdisks start"), whose
 * command is lower case or a path.
 */
const HEADING_RE = /^\s*#{1,6}\s+(?![a-z/.~$-])/;
/**
 * Literals support answers are made of: options and settings ("--purge", "fb=false"), paths ("/var/log/installer"),
 * key names and combinations ("F12", "Ctrl-Alt-F2"), host and file names ("ftp.example.org"), names with digits ("ext4", "apache2", "ttyS0") and quantities
 * with a unit ("810MB", "2 gigabytes", "30 分钟"). The sentence that holds one is usually the one that answers.
 * Every alternative needs one of MAY_HOLD_LITERAL_RE's features (a new one must keep it so, or extend that too).
 */
const LITERAL_RE = new RegExp(
  [
    String.raw`(?:^|[\s(“"'])--?[a-z][\w-]*`,
    String.raw`(?:^|[\s(“"'])[~.]?\/[\w.-]+`,
    String.raw`\b(?:the|a)\s+[a-z][\w.+-]*\s+(?:command|package|utility|program)\b`,
    String.raw`\b[\w./-]+=[\w./:,-]*`,
    String.raw`\b(?:ctrl|alt|shift|esc|capslock|tab|enter|fn)[-+]\w+`,
    String.raw`\bF\d{1,2}\b`,
    // Host and file names of three or more dotted parts ("ftp.example.org", "netboot.tar.gz").
    String.raw`\b[a-z][\w-]*(?:\.[a-z][\w-]*){2,}\b`,
    String.raw`\d+(?:[.,]\d+)?\s?(?:[kmgt]i?b|[kmg]hz|(?:kilo|mega|giga|tera)?bytes?|gigabytes?|megabytes?|%|ms|seconds?|minutes?|hours?|days?|weeks?|months?|years?|mah|mm|cm|inch(?:es)?|°c|个月|分钟|小时|天|秒|元|次|%)`,
  ].join("|"),
  "iu",
);
/** Lower-case names with a digit ("ext4", "apache2", "tg3"); case-sensitive so that "IPv6" or "Windows 10" are not. */
const NAME_WITH_DIGIT_RE = /(?:^|[\s(“"'])[a-z][a-z\d]*\d[a-z\d]*(?=$|[\s).,;:!?”"'])/u;

/**
 * What every literal above holds: a dash, slash, equals or plus sign, a digit, a dot before a letter, or one of the
 * command words (same flags, so the same letters match). Most prose sentences hold none, and this one scan is ~3x
 * cheaper than trying each alternative of LITERAL_RE at every position.
 */
const MAY_HOLD_LITERAL_RE = /[-\/=+\d]|\.[a-z]|command|package|utility|program/iu;

/** Whether a sentence holds a literal (see LITERAL_RE). */
export function hasLiteral(text: string): boolean {
  return MAY_HOLD_LITERAL_RE.test(text) && (LITERAL_RE.test(text) || NAME_WITH_DIGIT_RE.test(text));
}

/**
 * A footnote the PDF text kept inline: a line opening with a superscript number ("³See Section 5.1.5…") or a note
 * number glued to its first word ("2dists/stable/main, …"), or one the PDF loader moved after its paragraph
 * ("Footnote 3: See Section 5.1.5…"). Never quoted: it points elsewhere or repeats a detail.
 */
const FOOTNOTE_RE = /^\s*(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s*\S|\d{1,2}(?!(?:st|nd|rd|th)\b)[a-z]{2,}|Footnote\s+\d{1,3}:)/u;

/** A line introducing a list: ends with a colon, or is a bare label without closing punctuation. */
const LEAD_IN_RE = /[:：]\s*$|[^.!?。！？;；]\s*$/u;
/**
 * A label starts with a capital or a Chinese or Japanese character. Not Hangul, unlike a box title's start
 * (extractive-titles.ts): the two grew apart, and adding Hangul here would change which Korean lines are labels.
 */
const LABEL_START_RE = new RegExp(String.raw`^\s*[\p{Lu}\p{Lt}${CJK_CHARS}]`, "u");
/** Ends without closing punctuation: a label ("Save As…", a menu item, may end in an ellipsis). */
const OPEN_END_RE = new RegExp(String.raw`[^${CLOSING_PUNCT}]\s*$`, "u");
/** Most words of a label line (menu step, UI name). */
const LABEL_MAX_WORDS = 5;
/** Fewest consecutive label lines that make a menu path. */
const LABEL_MIN_RUN = 3;

/** What splitting reads from and adds to the answering pipeline's source memos (see source-memos.ts). */
export type SplitMemos = Partial<Pick<SourceMemos, "spans" | "sentenceTerms">>;

/**
 * A source as the composer reads it. `memo` remembers whole splits by text; `memos` the sentence spans and sentence
 * terms beneath them, which the verifier reads again for the cited sources and the reply.
 */
export function splitSource(source: Source, rank: number, language: string, memo?: BoundedMemo<readonly Sentence[]>, memos: SplitMemos = {}): Doc {
  // Splitting depends only on the text and language; per answer only `own` and `score` change, so a copy of each
  // remembered sentence (term sets shared, never written) is as good as a fresh split.
  const split = memo ? memo.get(`${language}\u0000${source.text}`, () => splitText(source.text, language, memos)) : splitText(source.text, language, memos);
  return { source, rank, sentences: memo ? split.map((s) => ({ ...s })) : (split as Sentence[]) };
}

function splitText(text: string, language: string, memos: SplitMemos): Sentence[] {
  const ss: Sentence[] = [];
  let prevEnd = 0;
  let group = -1;
  let footnote = false;
  const wholeLine: boolean[] = [];
  const split = consoleLines(text, linesAfterLeadOut(text, rejoinBroken(text, sourceSentenceSpans(text, language, memos.spans))));
  for (const span of split.spans) {
    const body = text.slice(span.start, span.end);
    // A console line is a line of output, never a heading, footnote ("9fonts: Depends: …") or list item.
    const inConsole = split.lines.has(ss.length);
    const gap = text.slice(prevEnd, span.start);
    const newLine = ss.length === 0 || gap.includes("\n");
    wholeLine.push(newLine && /^[ \t]*(?:\n|$)/.test(text.slice(span.end, span.end + 200)));
    prevEnd = span.end;
    if (newLine) group = !inConsole && (startsWithListMarker(body) || ROW_RE.test(body)) ? ss.length : -1;
    const head = ss[group];
    const words = wordCount(body);
    // A footnote's later sentences on its line are the footnote too ("⁴The … component is loaded in this step. If you
    // want to install in expert mode, you can also select it…"): skipped like its first.
    footnote = !inConsole && group < 0 && (newLine ? FOOTNOTE_RE.test(body) : footnote);
    const skip = !inConsole && (HEADING_RE.test(body) || TABLE_RULE_RE.test(body) || footnote || (newLine && group < 0 && isHeadingLine(body, words)));
    ss.push({
      text: body.replace(/\s+/g, " "), terms: skip ? new Set() : sentenceTermsOf(usSpelling(body, language), memos.sentenceTerms), words, group,
      ordered: ORDERED_RE.test(head?.text ?? body) && group >= 0, leadIn: false, skip,
      label: group < 0 && newLine && words <= LABEL_MAX_WORDS && OPEN_END_RE.test(body) && LABEL_START_RE.test(body), paragraph: /\n\s*\n/.test(gap), own: false, score: 0,
      literal: !skip && hasLiteral(body), verbatim: false,
    });
  }
  markVerbatim(ss, wholeLine);
  for (const i of split.lines) ss[i]!.verbatim = true;
  ss.forEach((s, i) => {
    const next = ss[i + 1];
    // A table's header row is the row right above its rule.
    if (next && TABLE_RULE_RE.test(next.text) && ROW_RE.test(s.text)) s.skip = true;
    s.leadIn = s.group < 0 && next !== undefined && next.group === i + 1 && !ROW_RE.test(next.text) && LEAD_IN_RE.test(s.text);
  });
  markLabelRuns(ss);
  markTitles(ss, wholeLine);
  return ss;
}

/**
 * Whole lines right after a lead-out ("…the following:"), and the whole lines directly under them (no blank line), are
 * a verbatim block: what the loaders kept line by line (PDF monospace lines, HTML <pre>, Markdown fences).
 */
function markVerbatim(ss: Sentence[], wholeLine: readonly boolean[]): void {
  ss.forEach((s, i) => {
    const prev = ss[i - 1];
    if (!prev || !wholeLine[i] || s.group >= 0 || s.skip) return;
    s.verbatim = prev.verbatim ? !s.paragraph : LEAD_OUT_END_RE.test(prev.text);
  });
  // A short lead-out line between two parts of a block ("libc6 install" / "to this:" / "libc6 hold") is in the block.
  ss.forEach((s, i) => {
    if (!s.verbatim && wholeLine[i] && ss[i - 1]?.verbatim && ss[i + 1]?.verbatim && isInnerLeadOut(s)) s.verbatim = true;
  });
}

/** Most words of a lead-out line that continues a command block rather than starting a new step. */
const INNER_LEAD_OUT_WORDS = 4;

/** A lead-out short enough to continue a command block ("to this:") when it stands between two parts of one. */
export function isInnerLeadOut(s: Sentence): boolean {
  return s.words <= INNER_LEAD_OUT_WORDS && LEAD_OUT_END_RE.test(s.text);
}

/** Only runs of several label lines are menu paths; a lone short line is a hard-wrapped piece of prose. */
function markLabelRuns(ss: Sentence[]): void {
  let i = 0;
  while (i < ss.length) {
    let j = i;
    while (j < ss.length && ss[j]!.label) j++;
    if (j - i < LABEL_MIN_RUN) for (let k = i; k < j; k++) ss[k]!.label = false;
    i = Math.max(j, i + 1);
  }
}

/**
 * BM25-style IDF of `terms` over all sentences of all sources: terms found everywhere ("hub") weigh little. Only the
 * asked terms are counted (the question's few, not every term of every sentence), as the sentences' terms are now.
 */
export function sentenceIdf(docs: readonly Doc[], terms: readonly string[]): Map<string, number> {
  let n = 0;
  for (const doc of docs) n += doc.sentences.length;
  const idf = new Map<string, number>();
  for (const term of terms) {
    let d = 0;
    for (const doc of docs) for (const s of doc.sentences) if (s.terms.has(term)) d++;
    idf.set(term, Math.log(1 + (n - d + 0.5) / (d + 0.5)));
  }
  return idf;
}

const COLON_END_RE = /[:：]\s*$/u;
/** The list containing sentence `i` (or following lead-in `i`), with its lead-in, capped at `maxSteps` items. */
export function listAround(doc: Doc, i: number, maxSteps: number): number[] {
  const ss = doc.sentences;
  const s = ss[i];
  let start = s?.leadIn ? i + 1 : s?.group ?? i;
  while (start > 0 && (ss[start - 1]?.group ?? -1) >= 0 && !ROW_RE.test(ss[start - 1]?.text ?? "")) start--;
  let end = start;
  while (end < ss.length && (ss[end]?.group ?? -1) >= 0) end++;
  const items: number[] = [];
  for (let k = start; k < end; k++) if (ss[k]?.group === k) items.push(k);
  const at = s?.leadIn ? 0 : Math.max(0, items.indexOf(s?.group ?? -1));
  const first = Math.max(0, Math.min(at, items.length - maxSteps));
  const lo = items[first] ?? start;
  const hi = items[first + maxSteps] ?? end;
  const out: number[] = lo === start && ss[start - 1]?.leadIn ? [start - 1] : [];
  for (let k = lo; k < hi; k++) out.push(k);
  return out;
}

/**
 * Whether sentence `i` brings its whole list: an explicit "…:" introduction always does; for how-to questions
 * so do labels, numbered steps and items of a list introduced by "…:" ("Use any of these methods:").
 */
export function expandsList(doc: Doc, i: number, procedural: boolean): boolean {
  const s = doc.sentences[i];
  if (!s || ROW_RE.test(s.text)) return false;
  if (s.leadIn) return procedural || COLON_END_RE.test(s.text);
  if (!procedural || s.group < 0) return false;
  if (s.ordered) return true;
  const intro = doc.sentences[listAround(doc, i, Number.MAX_SAFE_INTEGER)[0] ?? 0];
  return intro?.leadIn === true && COLON_END_RE.test(intro.text);
}

export function groupOf(doc: Doc, group: number): number[] {
  const out: number[] = [];
  for (let k = group; k < doc.sentences.length && doc.sentences[k]?.group === group; k++) out.push(k);
  return out;
}
