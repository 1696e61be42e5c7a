import Sentiment from "sentiment";
import { HAN_CHARS } from "../text/cjk.js";
import { EMOTION_PATTERNS, findAll, type EmotionCue } from "./cue-patterns.js";
import { ZH_INTENSIFIERS, ZH_NEGATORS, ZH_VALENCE } from "./lexicon-zh.js";
import { splitSentences } from "../text/sentences.js";

/**
 * Sentiment of customer messages: lexicon valence (English: AFINN-165 through the `sentiment` package, which handles
 * negation; Chinese: the hand-written lexicon in lexicon-zh.ts) plus emotion cues (frustration, anger, urgency) from
 * phrase patterns. Support messages describe problems, so mild negativity ("it doesn't connect") stays neutral; the
 * label turns negative with emotional words or cues.
 */

export type SentimentLabel = "negative" | "neutral" | "positive";

export interface SentimentResult {
  label: SentimentLabel;
  /** -1 (very negative) … +1 (very positive). */
  score: number;
  /** How sure the label is, 0–1. */
  confidence: number;
  cues: EmotionCue[];
  /** The phrases behind the cues (lexicon or pattern matches), for explanations. */
  evidence: string[];
}

/** |score| beyond this → negative/positive. */
const LABEL_THRESHOLD = 0.25;
/** Valence sum that maps to a score of tanh(1) ≈ 0.76. */
const VALENCE_SCALE = 6;
const CUE_WEIGHT: Record<EmotionCue, number> = { anger: -3, frustration: -1.5, urgency: 0 };
/** Support vocabulary AFINN lacks or rates for general text: "fixed"/"works" matter, and negation flips them. */
const EN_EXTRAS: Record<string, number> = {
  fixed: 2, works: 1, worked: 2, working: 1, resolved: 2, solved: 2, broken: -2, useless: -3, unacceptable: -3,
  ridiculous: -3, refund: 0, charged: -1, twice: 0, scam: -4, sorted: 2, helpful: 2,
  // Support boilerplate, product names and politeness are not emotion: "I need help", "Fire TV", "please", "thanks".
  support: 0, help: 0, helps: 0, please: 0, want: 0, fire: 0, thank: 1, thanks: 1, thx: 1, like: 1,
};
/** A question asks about a quality more than it expresses a feeling ("Is it good for gaming?"): half weight. */
const QUESTION_WEIGHT = 0.5;
const QUESTION_END_RE = /[?？]\s*$/u;
/** Han, not kana or Hangul: only a sentence with Han characters can hold a word of the Chinese lexicon. */
const HAN_RE = new RegExp(`[${HAN_CHARS}]`, "u");
const CAPS_WORD_RE = /\b[A-Z]{4,}\b/g;
/** Acronyms that are capitals by spelling, not by shouting. */
const ACRONYMS = new Set(["HDMI", "WIFI", "HTTP", "HTTPS", "UEFI", "BIOS", "NTSC", "ASAP", "IPTV", "SMART", "QLED", "OLED", "UHD", "HDCP", "ARC", "EARC"]);

const english = new Sentiment();

/** Valence sum of `text` (questions at half weight) and the lexicon words that carried it. */
function valence(text: string): { sum: number; words: string[] } {
  let sum = 0;
  const words: string[] = [];
  for (const sentence of splitSentences(text)) {
    const weight = QUESTION_END_RE.test(sentence) ? QUESTION_WEIGHT : 1;
    const en = english.analyze(sentence, { extras: EN_EXTRAS });
    words.push(...en.negative, ...en.positive);
    sum += weight * en.score;
    if (HAN_RE.test(sentence)) {
      const zh = chineseValence(sentence);
      sum += weight * zh.sum;
      words.push(...zh.words);
    }
  }
  return { sum, words };
}

/** Longest-match scan over the Chinese lexicon with negators and intensifiers just before a word. */
export function chineseValence(text: string): { sum: number; words: string[] } {
  const entries = [...ZH_VALENCE.keys()].sort((a, b) => b.length - a.length);
  let sum = 0;
  const words: string[] = [];
  for (let i = 0; i < text.length; ) {
    const word = entries.find((w) => text.startsWith(w, i));
    if (!word) {
      i++;
      continue;
    }
    const before = text.slice(Math.max(0, i - 3), i);
    let value = ZH_VALENCE.get(word) ?? 0;
    if (ZH_INTENSIFIERS.some((w) => before.endsWith(w))) value *= 1.5;
    if (ZH_NEGATORS.some((w) => before.includes(w))) value = -value * 0.75;
    sum += value;
    words.push(word);
    i += word.length;
  }
  return { sum, words };
}

/** Short words no one writes in capitals except to shout ("a human NOW", "STILL broken"). */
const EMPHATIC_CAPS_RE = /\b(?:NOW|NOT|STILL|NEVER|WORST|AGAIN|STOP|WHY|TODAY|HELP|REFUND|ANGRY|WTF)\b/;

/** The shouted words of `text`, if it shouts: two capitalised words, one with "!", or one that is only ever shouted. */
function shouting(text: string): string | undefined {
  const caps = (text.match(CAPS_WORD_RE) ?? []).filter((w) => !ACRONYMS.has(w));
  const emphatic = EMPHATIC_CAPS_RE.exec(text)?.[0];
  if (emphatic !== undefined) return emphatic;
  return caps.length >= 2 || (caps.length === 1 && /!/.test(text)) ? caps.join(" ") : undefined;
}

/** "!!!" after a complaint is anger; after "Thanks" it is not. */
const TRIPLE_BANG_RE = /!{3,}|(?:!\s*\?|\?\s*!){2,}/;

/** Sentiment of one message. */
export function analyzeSentiment(text: string): SentimentResult {
  const v = valence(text);
  const cues = new Set<EmotionCue>();
  const evidence = [...v.words];
  for (const cue of Object.keys(EMOTION_PATTERNS) as EmotionCue[]) {
    const found = findAll(EMOTION_PATTERNS[cue], text);
    if (found.length > 0) {
      cues.add(cue);
      evidence.push(...found);
    }
  }
  const shouted = shouting(text);
  if (shouted !== undefined) {
    cues.add("anger");
    evidence.push(`${shouted} (capitals)`);
  }
  const bangs = TRIPLE_BANG_RE.exec(text);
  if (bangs && v.sum <= 0) {
    cues.add("anger");
    evidence.push(bangs[0]);
  }
  const cueSum = [...cues].reduce((s, c) => s + CUE_WEIGHT[c], 0);
  return finish(Math.tanh((v.sum + cueSum) / VALENCE_SCALE), [...cues], evidence);
}

/**
 * Sentiment of a conversation from the customer's messages (oldest first): recent messages weigh more (each earlier
 * one half as much), cues are the union, so an angry first message still counts after a calmer follow-up.
 */
export function threadSentiment(customerMessages: readonly string[]): SentimentResult {
  if (customerMessages.length === 0) return finish(0, [], []);
  let weighted = 0;
  let weights = 0;
  let worst = 0;
  const cues = new Set<EmotionCue>();
  const evidence: string[] = [];
  customerMessages.forEach((text, i) => {
    const r = analyzeSentiment(text);
    const w = 0.5 ** (customerMessages.length - 1 - i);
    weighted += w * r.score;
    weights += w;
    worst = Math.min(worst, r.score);
    r.cues.forEach((c) => cues.add(c));
    evidence.push(...r.evidence);
  });
  // A strongly negative message is not averaged away by a polite "thanks" after it.
  const score = Math.min(weighted / weights, worst < -0.5 ? worst * 0.8 : 1);
  return finish(score, [...cues], [...new Set(evidence)]);
}

function finish(score: number, cues: EmotionCue[], evidence: string[]): SentimentResult {
  const label: SentimentLabel = score <= -LABEL_THRESHOLD ? "negative" : score >= LABEL_THRESHOLD ? "positive" : "neutral";
  const margin = label === "neutral" ? LABEL_THRESHOLD - Math.abs(score) : Math.abs(score) - LABEL_THRESHOLD;
  const confidence = Math.min(1, 0.5 + margin / (label === "neutral" ? 2 * LABEL_THRESHOLD : 2 * (1 - LABEL_THRESHOLD)));
  return { label, score: round(score), confidence: round(confidence), cues: cues.sort(), evidence };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
