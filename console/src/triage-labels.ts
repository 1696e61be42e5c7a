// What the API's triage codes (sentiment label, emotion cues, intent category, escalation reason) say in the UI's
// language. English shows the codes themselves (they are English words agents learn once); Chinese translates them.
import type { EscalationReason } from "../../src/domain/answer.js";
import type { EmotionCue } from "../../src/assist/cue-patterns.js";
import type { SentimentLabel } from "../../src/assist/sentiment.js";
import type { Tone } from "../../src/assist/tone.js";
import type { Lang } from "./i18n.js";

const SENTIMENT_ZH: Record<SentimentLabel, string> = { negative: "负面", neutral: "中性", positive: "正面" };
const CUES_ZH: Record<EmotionCue, string> = { frustration: "沮丧", anger: "愤怒", urgency: "紧急" };
const TONE_ZH: Record<Tone, string> = { apologetic: "致歉", friendly: "友好", neutral: "中性" };

/** Why an answer or a thread should go to a person, as a sentence (the playground's escalation line). */
export const REASONS: Record<Lang, Record<EscalationReason, string>> = {
  en: {
    "low-confidence": "confidence below the threshold",
    "no-evidence": "no passage supports an answer",
    "unsupported-answer": "the draft was not supported by the passages",
    "composer-failed": "the answer model failed",
    "human-requested": "the customer asked for a person",
    "negative-sentiment": "the customer sounds upset",
    "sensitive-topic": "a sensitive topic (billing, legal, safety…)",
    "repeated-contact": "the customer has asked before",
  },
  zh: {
    "low-confidence": "置信度低于阈值",
    "no-evidence": "没有段落支持回答",
    "unsupported-answer": "草稿答案缺乏段落支持",
    "composer-failed": "回答模型出错",
    "human-requested": "客户要求人工服务",
    "negative-sentiment": "客户情绪不佳",
    "sensitive-topic": "敏感话题（账单、法律、安全…）",
    "repeated-contact": "客户曾多次询问",
  },
};

/**
 * Intent categories are the ticket data's own labels (an open list): the usual support categories are translated,
 * any other is shown as it is.
 */
const INTENTS_ZH: Readonly<Record<string, string>> = {
  account: "账户",
  billing: "账单",
  connectivity: "网络连接",
  firmware: "固件",
  "hardware-fault": "硬件故障",
  pairing: "配对",
  returns: "退货",
  usage: "使用方法",
  shipping: "配送",
  delivery: "配送",
  refund: "退款",
  warranty: "保修",
  installation: "安装",
  setup: "设置",
  cancellation: "取消",
  complaint: "投诉",
  "technical-support": "技术支持",
  other: "其他",
};

export function sentimentText(lang: Lang, label: SentimentLabel): string {
  return lang === "zh" ? SENTIMENT_ZH[label] ?? label : label;
}

export function cueText(lang: Lang, cue: EmotionCue): string {
  return lang === "zh" ? CUES_ZH[cue] ?? cue : cue;
}

export function intentText(lang: Lang, category: string): string {
  return lang === "zh" ? INTENTS_ZH[category.toLowerCase()] ?? category : category;
}

/** A triage chip's reason: the code in English, the sentence in Chinese. */
export function reasonText(lang: Lang, reason: EscalationReason): string {
  return lang === "zh" ? REASONS.zh[reason] ?? reason : reason;
}

/** A suggestion's tone (the API's code in English, a word in Chinese). */
export function toneText(lang: Lang, tone: Tone): string {
  return lang === "zh" ? TONE_ZH[tone] ?? tone : tone;
}

/**
 * An escalation's evidence: a quote from the thread is shown as it is; the sentiment escalation's own summary
 * ("score -0.889 (anger, frustration)", written by the server in English) is said in Chinese for a Chinese UI.
 */
export function evidenceText(lang: Lang, reason: EscalationReason, evidence: string): string {
  const m = /^score (-?[\d.]+)(?: \(([^)]*)\))?$/.exec(evidence);
  if (lang !== "zh" || reason !== "negative-sentiment" || !m) return evidence;
  const cues = (m[2] ?? "").split(/,\s*/).filter(Boolean).map((c) => CUES_ZH[c as EmotionCue] ?? c);
  return `情绪得分 ${m[1]}${cues.length > 0 ? `（${cues.join("、")}）` : ""}`;
}
