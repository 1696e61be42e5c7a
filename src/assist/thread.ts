import { z } from "zod";
import type { HistoryTurn } from "../domain/answer.js";
import { InvalidInputError } from "../errors.js";
import { queryTerms } from "../text/analyzer.js";
import { HAN_CHARS } from "../text/cjk.js";
import { isStopword } from "../text/stopwords.js";
import { splitSentences } from "../text/sentences.js";
import { EMOTION_PATTERNS, TRIGGER_PATTERNS } from "./cue-patterns.js";
import { zhWordSegmenter } from "../text/zh-segmenter.js";

/** One message of a support conversation, as agent-assist sees it. */
export interface ThreadMessage {
  role: "customer" | "agent";
  text: string;
}

/** A thread as POST /suggest and `npm run suggest` take it: messages with roles, and optionally the product. */
export const threadInputSchema = z.strictObject({
  messages: z
    .array(z.strictObject({ role: z.enum(["customer", "agent"]), text: z.string().trim().min(1).max(8000) }))
    .min(1)
    .max(50)
    .refine((ms) => ms.some((m) => m.role === "customer"), "must contain at least one customer message"),
  product: z.string().trim().min(1).max(200).optional(),
});

export type ThreadInput = z.output<typeof threadInputSchema>;

/** Longest text kept for retrieval: the most recent customer messages up to this many characters. */
const MAX_ISSUE_CHARS = 2000;
/** Analyzer terms of acknowledgements and nudges ("Yes", "OK thanks", "Any news?"): no topic of their own. */
const ACK_TERMS = new Set(["ye", "yeah", "ok", "okay", "thank", "thx", "hi", "hello", "new", "still", "pleas", "sure", "right", "done", "tri", "again", "好的", "谢谢", "嗯"]);
const PREFIX_RE = /^\s*(customer|client|user|agent|support|assistant|staff|客户|顾客|用户|客服)\s*[:：]\s*/iu;
const AGENT_WORDS = new Set(["agent", "support", "assistant", "staff", "客服"]);

/**
 * Parses a plain-text thread: lines starting with "Customer:" or "Agent:" (also "User:", "Support:", "客户：", "客服：")
 * start a message; other lines continue the current one. Text before the first prefix belongs to the customer.
 * @throws InvalidInputError when there is no customer text at all.
 */
export function parseThreadText(text: string): ThreadMessage[] {
  const messages: ThreadMessage[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = PREFIX_RE.exec(line);
    if (m) {
      const role = AGENT_WORDS.has((m[1] ?? "").toLowerCase()) ? "agent" : "customer";
      messages.push({ role, text: line.slice(m[0].length) });
    } else if (messages.length > 0) {
      const last = messages[messages.length - 1]!;
      last.text = last.text ? `${last.text}\n${line}` : line;
    } else if (line.trim() !== "") {
      messages.push({ role: "customer", text: line });
    }
  }
  const clean = messages.map((m) => ({ role: m.role, text: m.text.trim() })).filter((m) => m.text !== "");
  if (!clean.some((m) => m.role === "customer")) throw new InvalidInputError("the thread has no customer message");
  return clean;
}

export function customerTexts(messages: readonly ThreadMessage[]): string[] {
  return messages.filter((m) => m.role === "customer").map((m) => m.text);
}

/**
 * The customer's side of the conversation for retrieval: each message's topic (meta sentences dropped, see
 * `topicText`), most recent last, bounded in length. A thread that is all emotion keeps its raw text.
 */
export function issueText(messages: readonly ThreadMessage[]): string {
  const out: string[] = [];
  let length = 0;
  const raw = customerTexts(messages);
  const topics = raw.map(topicText).filter((t) => t !== "");
  for (const text of (topics.length > 0 ? topics : raw).reverse()) {
    if (length > 0 && length + text.length > MAX_ISSUE_CHARS) break;
    out.unshift(text.slice(0, MAX_ISSUE_CHARS));
    length += text.length;
  }
  return out.join("\n");
}

/** What the answer use case is asked: the question, and the conversation before it as history. */
export interface ThreadQuestion {
  question: string;
  history: HistoryTurn[];
}

/**
 * Phrases that voice emotion, ask for a person or say the customer came back ("This is the third time", "I want a
 * manager"). Sensitive topics (a burning smell, a cancellation, a chargeback) are not among them: they are what the
 * customer writes about.
 */
const META_PATTERNS: readonly RegExp[] = [...Object.values(EMOTION_PATTERNS).flat(), ...TRIGGER_PATTERNS["human-requested"], ...TRIGGER_PATTERNS["repeated-contact"]].map(
  (re) => new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`),
);

/**
 * Demands every support thread can carry ("I want a refund", "get me a human", "call me back today"): said next to a
 * specific problem, they would pull in the generic refund-and-escalation tickets instead of the one about the problem.
 */
const GENERIC_TERMS: ReadonlySet<string> = new Set(
  queryTerms(
    "refund refunds refunded money back human person people agent agents manager supervisor someone somebody talk speak call " +
      "want need now please help contact contacted write wrote fix fixed sort sorted asap today immediately again answer reply " +
      "respond response wait waiting get give choice done just honestly seriously 退款 退钱 人工 真人 联系 马上 立刻 解决 处理 回复 " +
      "已经 你们 我们 客服 一下 请问 谢谢",
  ),
);

const HAN_RUN_RE = new RegExp(`${HAN_CHARS}+`, "gu");
const HAN_WORD_RE = new RegExp(`^${HAN_CHARS}{2,}$`, "u");

/**
 * What a clause says beyond stop words and generic demands: Latin stems of three letters or more ("I'm" gives none),
 * and Chinese dictionary words of two characters or more (not the analyzer's bigrams, which would make any leftover
 * characters look like content).
 */
function topicalTerms(text: string): string[] {
  const latin = queryTerms(text.replace(HAN_RUN_RE, " ")).filter((t) => t.length >= 3 && !/^\d+$/.test(t) && !GENERIC_TERMS.has(t));
  const han = [...zhWordSegmenter().segment(text)]
    .map((s) => s.segment)
    .filter((w) => HAN_WORD_RE.test(w) && !isStopword(w) && !GENERIC_TERMS.has(w));
  return [...latin, ...han];
}

/**
 * A message without its meta phrases and generic demands, for retrieval. Clause by clause: a clause with a meta phrase
 * keeps what is left once the phrase is cut out if that still names at least two topical terms ("the refund still
 * hasn't arrived" → "the refund arrived"); a clause made only of generic demands ("I want a refund or a human NOW")
 * (all of its terms generic) is dropped; any other clause stays as written.
 */
export function topicText(text: string): string {
  // Clauses, not just sentences: "我的集线器一直闪红灯，已经联系你们第三次了" keeps its first clause.
  const clauses = splitSentences(text).flatMap((s) => s.split(/(?<=[，,；;])\s*/u));
  const kept: string[] = [];
  for (const clause of clauses) {
    if (clause.trim() === "") continue;
    const stripped = META_PATTERNS.reduce((c, re) => c.replace(re, " "), clause);
    if (stripped !== clause) {
      if (topicalTerms(stripped).length >= 2) kept.push(stripped);
      continue;
    }
    const terms = queryTerms(clause);
    if (terms.length > 0 && terms.every((t) => GENERIC_TERMS.has(t))) continue;
    kept.push(clause);
  }
  return kept
    .join(" ")
    .replace(/\s+([,.!?，。！？])/gu, "$1")
    .replace(/([，。！？；：])\s+/gu, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * The question to answer for the latest customer turn. A last message with enough topic (after dropping its meta
 * sentences) is asked as is, with the earlier turns as history (follow-ups are rewritten by the answer use case).
 * A content-poor one ("Still broken!! I want a manager.") is replaced by the topic of the customer's messages, without
 * history, so retrieval sees the actual problem.
 */
export function questionOf(messages: readonly ThreadMessage[]): ThreadQuestion {
  const lastIndex = messages.map((m) => m.role).lastIndexOf("customer");
  const last = messages[lastIndex];
  if (!last) throw new InvalidInputError("the thread has no customer message");
  const history: HistoryTurn[] = messages
    .slice(0, lastIndex)
    .map((m) => ({ role: m.role === "customer" ? ("user" as const) : ("assistant" as const), content: m.text.slice(0, 8000) }))
    .slice(-20);
  const topic = topicText(last.text);
  if (queryTerms(topic).some((t) => !ACK_TERMS.has(t))) return { question: topic.slice(0, 4000), history };
  const customer = messages.slice(0, lastIndex + 1).filter((m) => m.role === "customer");
  const joined = customer.map((m) => topicText(m.text)).filter((t) => t !== "").join("\n");
  if (joined === "" || history.length === 0) return { question: last.text.slice(0, 4000), history };
  return { question: joined.slice(-4000), history: [] };
}
