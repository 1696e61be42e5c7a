import type { HistoryTurn } from "../domain/answer.js";
import type { RetrievalResult, RetrieveOptions } from "../retrieval/retrieve.js";
import { analyze } from "../text/analyzer.js";
import { HAS_CJK_RE } from "../text/cjk.js";
import { refersBack } from "./condense-question.js";
import { REVERSAL_RE } from "./follow-up.js";
import { contentTerms, MARKER_RE, overlapWithTerms, stripMarkers } from "./overlap.js";

/** A chunk holding this share of the previous reply's content terms is the passage that reply quoted. */
const QUOTED_SHARE = 0.8;
/** Only the start of the reply is searched: its first quoted sentences are enough to find the passage. */
const MAX_REPLY_CHARS = 600;
/** A citation marker naming a source other than the first ("[2]", "[1, 3]", "【2】"). */
const OTHER_SOURCE_MARKER_RE = /[[【][\d\s,，、;]*(?:[2-9]|\d{2,})[\d\s,，、;]*[\]】]/u;
/** "4.11.18. ", "Chapter 2. ", "第 9 章 ": numbering carries no topic. */
const NUMBERING_RE = /^\s*(?:(?:chapter|section|part|appendix)\s+)?(?:[\dIVXivx]+[.)]?)+(?:\.\d+)*\.?\s+|^\s*第\s*[\d一二三四五六七八九十]+\s*[章节]\s*/iu;

/**
 * The section title of the passage the previous assistant reply quoted, for an anaphoric follow-up ("How do I make
 * that stricter?", "它怎么关闭？"): the customer means the thing that passage was about, and its title names it even
 * when the earlier question did not ("umask" for "files others can read"). Undefined when the question is not
 * anaphoric, reverses the earlier answer (the reversal usually sits in another section: "Leaving night mode"), there
 * is no reply, or no retrieved chunk holds the reply (a refusal, a model's paraphrase). Only the latest reply counts,
 * so what a rewrite carries stays one title however long the conversation.
 */
export async function previousCitedSection(
  question: string,
  history: readonly HistoryTurn[],
  retrieve: (query: string, options: RetrieveOptions) => Promise<RetrievalResult>,
  options: Pick<RetrieveOptions, "filter" | "scriptFamily">,
): Promise<string | undefined> {
  if (!refersBack(question) || REVERSAL_RE.test(question)) return undefined;
  const reply = [...history].reverse().find((t) => t.role === "assistant")?.content;
  const text = reply ? stripMarkers(firstSourceQuote(reply)).slice(0, MAX_REPLY_CHARS).trim() : "";
  if (text === "" || analyze(text).length === 0) return undefined;
  const top = (await retrieve(text, { ...options, topK: 1 })).chunks[0];
  if (!top || overlapWithTerms(text, contentTerms(top.text)) < QUOTED_SHARE) return undefined;
  const title = (top.sectionPath[top.sectionPath.length - 1] ?? "").replace(NUMBERING_RE, "").trim();
  return title === "" ? undefined : title;
}

/**
 * The reply up to the last marker before its first citation of a source other than [1]: what it quoted from its
 * first source (the sentence before "[2]" is that source's).
 */
function firstSourceQuote(reply: string): string {
  const other = OTHER_SOURCE_MARKER_RE.exec(reply);
  if (!other) return reply;
  const before = reply.slice(0, other.index);
  const lastMarker = [...before.matchAll(MARKER_RE)].at(-1);
  return lastMarker ? before.slice(0, lastMarker.index + lastMarker[0].length) : before;
}

/**
 * `standalone` with the cited section's title added, unless every term of the title is already searched for. Added
 * to the rewrite of this turn only (never to the history), so it cannot accumulate.
 */
export function withSection(standalone: string, title: string | undefined): string {
  if (title === undefined) return standalone;
  const have = new Set(analyze(standalone));
  const terms = analyze(title);
  if (terms.length === 0 || terms.every((t) => have.has(t))) return standalone;
  const end = /[?？]\s*$/u.exec(standalone)?.[0] ?? "";
  const body = standalone.slice(0, standalone.length - end.length);
  return HAS_CJK_RE.test(standalone) ? `${body}（${title}）${end}` : `${body} [${title}]${end}`;
}
