import { primaryLanguage } from "../text/language.js";
import type { SentimentLabel } from "./sentiment.js";

/** The register of a suggested reply, chosen from the customer's sentiment. */
export type Tone = "apologetic" | "friendly" | "neutral";

/**
 * Apologetic for a negative customer, and also for a frustrated or angry one or one who had to come back, even when
 * the lexicon score stays mild ("Third time I write. I want a manager."); friendly for a positive one.
 */
export function toneFor(sentiment: SentimentLabel, options: { cues?: readonly string[]; repeated?: boolean } = {}): Tone {
  const upset = sentiment === "negative" || options.repeated === true || (options.cues ?? []).some((c) => c === "anger" || c === "frustration");
  if (upset) return "apologetic";
  return sentiment === "positive" ? "friendly" : "neutral";
}

interface Openers {
  /** `{product}` is replaced by "your <product>" or a generic phrase. */
  apologetic: (product: string | undefined) => string;
  /** When the customer had to come back: the problem persists. */
  apologeticRepeat: string;
  friendly: string;
}

const OPENERS: Record<string, Openers> = {
  en: {
    apologetic: (p) => `I'm sorry about the trouble with ${p ? `your ${p}` : "this"}.`,
    apologeticRepeat: "I'm sorry this still isn't resolved and that you had to contact us again.",
    friendly: "Thanks for getting in touch!",
  },
  zh: {
    apologetic: () => "非常抱歉给您带来不便。",
    apologeticRepeat: "非常抱歉问题仍未解决，让您再次联系我们。",
    friendly: "感谢您的联系！",
  },
  de: {
    apologetic: (p) => `Es tut mir leid, dass es Probleme mit ${p ? `Ihrem ${p}` : "diesem Thema"} gibt.`,
    apologeticRepeat: "Es tut mir leid, dass das Problem noch nicht gelöst ist und Sie sich erneut melden mussten.",
    friendly: "Vielen Dank für Ihre Nachricht!",
  },
  fr: {
    apologetic: (p) => `Je suis désolé pour les désagréments ${p ? `avec votre ${p}` : "rencontrés"}.`,
    apologeticRepeat: "Je suis désolé que le problème ne soit pas encore résolu et que vous ayez dû nous recontacter.",
    friendly: "Merci de nous avoir contactés !",
  },
  es: {
    apologetic: (p) => `Lamento los problemas ${p ? `con su ${p}` : "que ha tenido"}.`,
    apologeticRepeat: "Lamento que el problema siga sin resolverse y que haya tenido que contactarnos de nuevo.",
    friendly: "¡Gracias por contactarnos!",
  },
  ja: {
    apologetic: () => "ご不便をおかけして申し訳ございません。",
    apologeticRepeat: "問題が解決しておらず、再度ご連絡いただくことになり申し訳ございません。",
    friendly: "お問い合わせありがとうございます。",
  },
};

/**
 * The first sentence of a suggested reply for the tone (none for neutral). It states no facts, so it needs no citation;
 * everything after it comes from verified, cited sources.
 */
export function openerFor(tone: Tone, language: string, options: { product?: string; repeated?: boolean } = {}): string {
  if (tone === "neutral") return "";
  const o = OPENERS[primaryLanguage(language)] ?? OPENERS.en!;
  if (tone === "friendly") return o.friendly;
  return options.repeated ? o.apologeticRepeat : o.apologetic(options.product);
}

/** Opener and body joined as the language writes sentences (no space after CJK punctuation). */
export function withOpener(opener: string, body: string): string {
  if (opener === "") return body;
  return /[。！？]$/u.test(opener) ? `${opener}${body}` : `${opener} ${body}`;
}
