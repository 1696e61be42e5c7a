import type { HistoryTurn } from "../domain/answer.js";
import { analyze } from "../text/analyzer.js";
import { HAS_CJK_RE } from "../text/cjk.js";
import { isStopword } from "../text/stopwords.js";

/**
 * Heuristic (no model) rewrite of a follow-up into a standalone question, so retrieval sees both the topic of the
 * conversation and the new entity. Pure and deterministic.
 *
 * - English ellipsis ("and the remote?", "what about the app?") replaces the single noun phrase of the previous
 *   question ("How do I reset the hub?" → "How do I reset the remote?"); when the previous question has no single
 *   noun phrase to replace, the follow-up is appended to the conversation's topic question ("…to the TV — and the
 *   projector?").
 * - English pronouns ("Is it waterproof?") are replaced by that noun phrase the same way; demonstratives without a
 *   noun ("how do I undo that?") get the topic question's core in brackets ("how do I undo that (turn on night
 *   mode)?").
 * - Chinese follow-ups ("那遥控器呢？", "它的呢？") are joined to the topic question, since there is no reliable
 *   way to find the object to replace without a parser.
 * The topic question is the most recent user question that was not itself a follow-up: joining to it (never to a
 * previous rewrite) keeps the rewrite the size of one question plus the follow-up, however long the conversation.
 * Anything else is returned unchanged.
 */

/** Previous questions are themselves condensed recursively; this bounds the work on long histories. */
const MAX_DEPTH = 4;
const END_PUNCT_RE = /[\s?？!！.。]+$/u;

const EN_ELLIPSIS_RE =
  /^\s*(?:(?:and|but|also|so|ok(?:ay)?|then)\s*,?\s+)?(?:what|how)\s+about\s+|^\s*(?:and|also|same)\s+(?:for|on|with|in|to|about)?\s*|^\s*(?:and|also)\s*,?\s+/i;
const EN_PRONOUN_RE = /\b(?:it|its|them|they|their|there)\b/i;
/**
 * "And what if the changes are large?", "What happens if I skip it?", "But if I'm on Windows?": a condition put to the
 * earlier question, which it asks again under that condition (a full question after "and", yet no new topic).
 */
const EN_CONDITION_RE = /^\s*(?:(?:and|but|so|ok(?:ay)?)\s*,?\s+)?(?:what\s+if|what\s+happens\s+if|what\s+about\s+if|if)\b/i;
/**
 * "…do that?", "turn that off?", "switch this back on?", and "Is that permanent?" / "Does this work…": a
 * demonstrative standing for the previous topic. A phrasal verb's particles may follow it ("turn that off"); a noun
 * may not ("turn off that TV" names its object and stands alone).
 */
const EN_STANDALONE_DEMONSTRATIVE_RE =
  /\b(?:this|that|these|those)(?:\s+(?:off|on|up|down|back|out|in|over|away|again|instead|too|now|later|anymore|permanently|completely|for\s+good))*\s*(?:[?.!,]|$)|^\s*(?:is|was|are|does|did|will|would|can|could)\s+(?:this|that|these|those)\s+(?!one\b)[a-z]+\s*(?:[?.!,]|$)/i;
/**
 * A demonstrative as the subject of "apply", "work", "last"… ("Does that apply to root too?"), or as the object of an
 * action verb ("make that stricter for every user", "apply this to all users",
 * "set those permanently"): the earlier answer's setting, not a noun of its own. Verbs that take a "that"-clause
 * ("make sure that…", "check that…") are not listed, and a subject or article after "that" ("make that the default")
 * still counts: the demonstrative then stands for the earlier topic as well.
 */
const EN_OBJECT_DEMONSTRATIVE_RE =
  /^\s*(?:does|do|did|will|would|can|could)\s+(?:this|that|these|those)\s+(?:apply|work|affect|last|persist|survive|stay|require|need)\b|\b(?:make|makes|set|keep|get|apply|use|change|configure|enable|disable|run|put|turn|switch|install|remove|schedule|limit|restrict|tighten|loosen|extend|repeat|undo|reset)\s+(?:this|that|these|those)\b(?!\s+(?:is|was|are|were|i|you|we|it|they)\b)/i;
/** "Is it possible to…", "it's normal that…": expletive "it", not a reference. */
const EN_EXPLETIVE_RE = /\bit(?:\s+is|'s|\s+was)?\s+(?:possible|normal|safe|ok|okay|true|necessary|recommended)\b/i;
const EN_SUBSTITUTABLE_RE = /\b(it|them|they)\b|\b(its|their)\b/i;
/** A determiner and the 1–2 content words after it: the noun phrase an elliptical follow-up swaps out. */
const EN_NOUN_PHRASE_RE = /\b(?:the|my|your|our|this|that)\s+([\p{L}\p{N}][\p{L}\p{N}'-]*(?:\s+[\p{L}\p{N}][\p{L}\p{N}'-]*)?)/giu;
const EN_PHRASE_END = new Set(["to", "on", "in", "with", "from", "for", "of", "at", "by", "after", "before", "without", "and", "or", "when", "if", "is", "are", "was", "won't", "doesn't", "isn't", "keeps", "not"]);

const ZH_ELLIPSIS_RE = /^\s*(?:那么|那|还有|另外|以及)|(?:呢|怎么样|如何呢)\s*[？?]?\s*$/u;
const ZH_PRONOUN_RE = /它们|它|这个|那个|这些|那些|该设备/u;
/** "其中一个任务" (one of them): points back at the things just listed, though it replaces no noun. */
const ZH_AMONG_RE = /其中/u;
/** After "and"/"what about", a question word means a full new question follows, not an ellipsis. */
const EN_QUESTION_START_RE = /^(?:how|what|why|where|when|which|who|can|could|does|do|is|are|should|will|would)\b/i;
const EN_QUANTIFIER_START_RE = /^(?:every|each|all|any|both|other|everyone|everybody|everything)\b/i;
const EN_DETERMINER_START_RE = /^(?:the|my|your|our|a|an|this|that)\b/i;
/** "How do I", "can we", "what is": the lead of a question, stripped to get its core ("turn on night mode"). */
const EN_QUESTION_LEAD_RE =
  /^\s*(?:(?:and|but|so|also|ok(?:ay)?|then)\s*,?\s+)?(?:how|what|why|where|when|which|can|could|do|does|is|are|should|would|will)\b(?:\s+(?:do|does|did|can|could|should|would|will|to|is|are|i|we|you))*\s+/i;
const EN_AND_LEAD_RE = /^\s*(?:and|but|so|also|ok(?:ay)?|then)\s*,?\s+/i;
/** Most content words of a topic carried into a bracket. */
const MAX_TOPIC_WORDS = 8;
/** Words that open a subordinate clause after the asked-about action. */
const EN_CLAUSE_START = new Set(["so", "because", "since", "when", "whenever", "while", "if", "unless", "although", "though", "after", "before"]);

/** Standalone form of `question`, given the conversation so far (oldest first; the current question excluded). */
export function condenseQuestion(question: string, history: HistoryTurn[]): string {
  return condenseFollowUp(question, history).standalone;
}

/**
 * The standalone form, and whether it carries the earlier topic as a whole (joined or in brackets) rather than
 * naming the one noun phrase a pronoun or an ellipsis stood for ("Is the hub waterproof?"): only then does the
 * follow-up mean what the earlier reply was about.
 */
export function condenseFollowUp(question: string, history: HistoryTurn[]): { standalone: string; carriesTopic: boolean } {
  return condense(question, history, 0) ?? { standalone: question, carriesTopic: false };
}

function condense(question: string, history: HistoryTurn[], depth: number): Rewrite | undefined {
  const trimmed = question.trim();
  const prevIndex = lastUserTurn(history, trimmed);
  if (prevIndex < 0 || trimmed === "") return undefined;
  const prevRaw = history[prevIndex]?.content.trim() ?? "";
  const prev = depth < MAX_DEPTH ? condense(prevRaw, history.slice(0, prevIndex), depth + 1)?.standalone ?? prevRaw : prevRaw;
  if (prev === "" || analyze(prev).length === 0) return undefined;
  const topic = topicQuestion(history, prevIndex) ?? prev;
  if (!HAS_CJK_RE.test(trimmed)) return condenseEnglish(trimmed, prev, topic);
  const joined = condenseChinese(trimmed, topic);
  return joined === undefined ? undefined : { standalone: joined, carriesTopic: true };
}

interface Rewrite {
  standalone: string;
  carriesTopic: boolean;
}

/** The most recent user question at or before `from` that is not itself a follow-up (the conversation's topic). */
function topicQuestion(history: HistoryTurn[], from: number): string | undefined {
  for (let i = from; i >= 0; i--) {
    const turn = history[i];
    if (turn?.role !== "user") continue;
    const text = turn.content.trim();
    if (text !== "" && analyze(text).length > 0 && !isFollowUp(text)) return text;
  }
  return undefined;
}

/** Whether `question` leans on the conversation (ellipsis, pronoun, bare demonstrative). */
export function isFollowUp(question: string): boolean {
  const q = question.trim();
  if (HAS_CJK_RE.test(q)) return ZH_ELLIPSIS_RE.test(q) || ZH_PRONOUN_RE.test(q) || [...q.replace(END_PUNCT_RE, "")].filter((c) => HAS_CJK_RE.test(c)).length <= 4;
  if (englishEllipsis(q) !== undefined || EN_CONDITION_RE.test(q)) return true;
  return (EN_PRONOUN_RE.test(q) && !EN_EXPLETIVE_RE.test(q)) || bareDemonstrative(q);
}

/**
 * Whether `question` points back at what was just discussed with a pronoun or demonstrative ("install them later",
 * "make that stricter", "它怎么关闭？"), rather than only leaving something out ("and the remote?").
 */
export function refersBack(question: string): boolean {
  const q = question.trim();
  if (HAS_CJK_RE.test(q)) return ZH_PRONOUN_RE.test(q) || ZH_AMONG_RE.test(q);
  return (EN_PRONOUN_RE.test(q) && !EN_EXPLETIVE_RE.test(q)) || bareDemonstrative(q);
}

/** A demonstrative standing for the earlier topic rather than naming a thing of its own. */
function bareDemonstrative(question: string): boolean {
  return EN_STANDALONE_DEMONSTRATIVE_RE.test(question) || EN_OBJECT_DEMONSTRATIVE_RE.test(question);
}

/** Index of the most recent user turn that is not the current question repeated by the caller. */
function lastUserTurn(history: HistoryTurn[], question: string): number {
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i];
    if (turn?.role === "user" && turn.content.trim() !== "" && turn.content.trim() !== question) return i;
  }
  return -1;
}

function condenseEnglish(question: string, prev: string, topic: string): Rewrite | undefined {
  if (EN_CONDITION_RE.test(question)) return { standalone: `${stripEnd(topic)} — ${question}`, carriesTopic: true };
  const ellipsis = englishEllipsis(question);
  if (ellipsis !== undefined) {
    const joined = { standalone: `${stripEnd(topic)} — ${question}`, carriesTopic: true };
    if (!ellipsis.substitute || analyze(ellipsis.entity).length === 0) return joined;
    const swapped = replaceNounPhrase(prev, ellipsis.entity);
    return swapped === undefined ? joined : { standalone: swapped, carriesTopic: false };
  }
  const pronoun = EN_PRONOUN_RE.test(question) && !EN_EXPLETIVE_RE.test(question);
  if (!pronoun && !bareDemonstrative(question)) return undefined;
  const phrase = pronoun ? singleNounPhrase(prev) : undefined;
  if (phrase !== undefined) {
    const replaced = question.replace(EN_SUBSTITUTABLE_RE, (_m, obj: string | undefined, _poss: string | undefined, offset: number) => {
      const np = offset === 0 ? phrase : lowerDeterminer(phrase);
      return obj ? np : `${np}'s`;
    });
    if (replaced !== question) return { standalone: replaced, carriesTopic: false };
  }
  return { standalone: `${stripEnd(question.replace(EN_AND_LEAD_RE, ""))} (${topicCore(topic)})${endPunct(question)}`, carriesTopic: true };
}

/** "How do I turn on night mode?" → "turn on night mode": the question without its lead, bracket or end. */
function topicCore(topic: string): string {
  const core = stripEnd(topic.replace(/\s*\([^)]*\)/g, "").replace(EN_QUESTION_LEAD_RE, "")).split(/\s+/).filter((w) => w !== "");
  const words = core.length > 0 && analyze(core.join(" ")).length > 0 ? core : keyWords(topic);
  // The core is the action asked about: a purpose or condition clause after it ("… on hold so it is not upgraded")
  // is cut whole rather than mid-clause by the word cap, which left fragments such as "(… on hold so it is)".
  const clause = words.findIndex((w, i) => i > 1 && EN_CLAUSE_START.has(w.toLowerCase()));
  return capTopic(clause > 0 ? words.slice(0, clause) : words).join(" ");
}

/**
 * At most MAX_TOPIC_WORDS content words, never ending on a function word: counting every word cut "record a fix to
 * the upstream Makefile as a quilt patch" to "… Makefile as", losing the very object ("quilt patch") asked about.
 */
function capTopic(words: readonly string[]): string[] {
  const isFunctionWord = (w: string): boolean => isStopword(w.toLowerCase().replace(/[^\p{L}\p{N}'-]/gu, ""));
  const kept: string[] = [];
  let content = 0;
  for (const w of words) {
    if (!isFunctionWord(w) && ++content > MAX_TOPIC_WORDS) break;
    kept.push(w);
  }
  while (kept.length > 1 && isFunctionWord(kept[kept.length - 1] ?? "")) kept.pop();
  return kept;
}

/**
 * The new entity of an elliptical follow-up. `substitute` is false for bare short questions ("Factory reset?"),
 * which may be a new action rather than a new object: those keep the previous question in full.
 */
function englishEllipsis(question: string): { entity: string; substitute: boolean } | undefined {
  const lead = EN_ELLIPSIS_RE.exec(question);
  if (lead) {
    const entity = question.slice(lead[0].length).replace(END_PUNCT_RE, "").trim();
    // "and for every user?" widens the scope of the earlier question; it names no new thing to swap in.
    if (!EN_QUESTION_START_RE.test(entity)) return { entity, substitute: !EN_QUANTIFIER_START_RE.test(entity) };
  }
  const body = stripEnd(question);
  const words = body.split(/\s+/).filter((w) => w !== "");
  if (words.length > 3 || EN_QUESTION_START_RE.test(body)) return undefined;
  return { entity: body, substitute: EN_DETERMINER_START_RE.test(body) };
}

function condenseChinese(question: string, prev: string): string | undefined {
  const body = question.replace(END_PUNCT_RE, "");
  const short = [...body].filter((c) => HAS_CJK_RE.test(c)).length <= 4;
  if (!ZH_ELLIPSIS_RE.test(question) && !ZH_PRONOUN_RE.test(question) && !short) return undefined;
  const sep = HAS_CJK_RE.test(prev) ? "，" : " — ";
  return `${stripEnd(prev)}${sep}${question}`;
}

/** The noun phrases of `text` as determiner + up to two words, cut before prepositions and verbs. */
function nounPhrases(text: string): Array<{ index: number; length: number; phrase: string }> {
  const out: Array<{ index: number; length: number; phrase: string }> = [];
  for (const m of text.matchAll(EN_NOUN_PHRASE_RE)) {
    const words = (m[1] ?? "").split(/\s+/);
    const kept: string[] = [];
    for (const w of words) {
      if (EN_PHRASE_END.has(w.toLowerCase())) break;
      kept.push(w);
    }
    if (kept.length === 0 || kept.every((w) => isStopword(w.toLowerCase()))) continue;
    const determiner = m[0].slice(0, m[0].length - (m[1]?.length ?? 0));
    const phrase = determiner + kept.join(" ");
    out.push({ index: m.index, length: phrase.length, phrase: phrase.trim() });
  }
  return out;
}

function singleNounPhrase(text: string): string | undefined {
  const phrases = nounPhrases(text);
  return phrases.length === 1 ? phrases[0]?.phrase : undefined;
}

/** Swaps the previous question's only noun phrase for `entity`; undefined when there is not exactly one. */
function replaceNounPhrase(prev: string, entity: string): string | undefined {
  const phrases = nounPhrases(prev);
  const only = phrases.length === 1 ? phrases[0] : undefined;
  if (!only) return undefined;
  const replacement = EN_DETERMINER_START_RE.test(entity) ? entity : `${only.phrase.split(/\s+/)[0] ?? "the"} ${entity}`;
  const cased = only.index === 0 ? replacement.charAt(0).toUpperCase() + replacement.slice(1) : lowerDeterminer(replacement);
  return prev.slice(0, only.index) + cased + prev.slice(only.index + only.length);
}

/** The previous question's non-stop words in their original spelling, for a bracketed context hint. */
function keyWords(text: string): string[] {
  const words = stripEnd(text).match(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu) ?? [];
  return words.filter((w) => !isStopword(w.toLowerCase()) && analyze(w).length > 0);
}

/** "My TV" inside a sentence reads "my TV"; the noun itself keeps its case. */
function lowerDeterminer(phrase: string): string {
  return phrase.replace(EN_DETERMINER_START_RE, (d) => d.toLowerCase());
}

function stripEnd(text: string): string {
  return text.replace(END_PUNCT_RE, "");
}

function endPunct(text: string): string {
  return /[?？]\s*$/u.test(text) ? "?" : "";
}
