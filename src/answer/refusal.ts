/**
 * Honest "I don't know" replies and holding replies. They never carry citations: a refusal claims nothing that a
 * source would have to support. Languages: en, zh, de, fr, es, ja; anything else falls back to English.
 */
import { primaryLanguage } from "../text/language.js";

export type RefusalReason = "no-evidence" | "low-confidence" | "unsupported";

type Texts = Record<RefusalReason, string>;

const ENGLISH: Texts = {
  "no-evidence": "I'm sorry, I couldn't find this in our documentation, so I don't want to guess. I can hand you over to a human agent who can help.",
  "low-confidence": "I'm not sure: our documentation doesn't clearly cover this, and I'd rather not give you a wrong answer. Would you like me to connect you with a human agent?",
  unsupported: "I couldn't confirm an answer from our documentation, so I won't guess. A human agent can look into this for you.",
};
const ENGLISH_HOLDING = "Thanks for reaching out! We're looking into this and will get back to you shortly.";

const REFUSALS: Record<string, Texts> = {
  en: ENGLISH,
  zh: {
    "no-evidence": "抱歉，我们的文档中没有找到相关内容，我不想随意猜测。我可以为您转接人工客服。",
    "low-confidence": "抱歉，我不确定：我们的文档没有明确涵盖这个问题，我不想给您错误的答案。需要为您转接人工客服吗？",
    unsupported: "抱歉，我无法从我们的文档中确认答案，因此不做猜测。人工客服可以为您进一步处理。",
  },
  de: {
    "no-evidence": "Das tut mir leid, dazu habe ich in unserer Dokumentation nichts gefunden, und ich möchte nicht raten. Ich kann Sie an einen Mitarbeiter weiterleiten.",
    "low-confidence": "Ich bin mir nicht sicher: Unsere Dokumentation deckt das nicht eindeutig ab, und ich möchte Ihnen keine falsche Antwort geben. Soll ich Sie mit einem Mitarbeiter verbinden?",
    unsupported: "Ich konnte die Antwort in unserer Dokumentation nicht bestätigen und möchte nicht raten. Ein Mitarbeiter kann sich das gerne ansehen.",
  },
  fr: {
    "no-evidence": "Désolé, je n'ai rien trouvé à ce sujet dans notre documentation et je préfère ne pas deviner. Je peux vous mettre en relation avec un conseiller.",
    "low-confidence": "Je ne suis pas sûr : notre documentation ne couvre pas clairement ce point et je ne veux pas vous donner une mauvaise réponse. Souhaitez-vous parler à un conseiller ?",
    unsupported: "Je n'ai pas pu confirmer de réponse dans notre documentation, je préfère donc ne pas deviner. Un conseiller peut examiner votre demande.",
  },
  es: {
    "no-evidence": "Lo siento, no encontré esto en nuestra documentación y prefiero no adivinar. Puedo pasarle con un agente de soporte.",
    "low-confidence": "No estoy seguro: nuestra documentación no cubre esto con claridad y no quiero darle una respuesta incorrecta. ¿Quiere que le ponga en contacto con un agente?",
    unsupported: "No pude confirmar una respuesta en nuestra documentación, así que prefiero no adivinar. Un agente de soporte puede revisarlo.",
  },
  ja: {
    "no-evidence": "申し訳ありません。ドキュメントに該当する情報が見つからなかったため、推測でお答えすることは控えます。担当者におつなぎできます。",
    "low-confidence": "申し訳ありません。ドキュメントではこの点が明確に説明されておらず、誤った回答をしたくありません。担当者におつなぎしましょうか？",
    unsupported: "ドキュメントから回答を確認できなかったため、推測でお答えすることは控えます。担当者が確認いたします。",
  },
};

const HOLDING: Record<string, string> = {
  en: ENGLISH_HOLDING,
  zh: "感谢您的联系！我们正在处理您的问题，会尽快回复您。",
  de: "Vielen Dank für Ihre Nachricht! Wir kümmern uns darum und melden uns in Kürze bei Ihnen.",
  fr: "Merci de nous avoir contactés ! Nous examinons votre demande et revenons vers vous très vite.",
  es: "¡Gracias por contactarnos! Estamos revisando su consulta y le responderemos en breve.",
  ja: "お問い合わせありがとうございます。現在確認しておりますので、まもなくご連絡いたします。",
};

/** "zh-Hans-CN" → "zh"; unknown or malformed tags → "en". */
function primaryTag(language: string): string {
  const tag = primaryLanguage(language);
  return tag in REFUSALS ? tag : "en";
}

/** A short, citation-free reply saying the documentation does not cover the question and offering a human agent. */
export function refusalText(language: string, reason: RefusalReason): string {
  return (REFUSALS[primaryTag(language)] ?? ENGLISH)[reason];
}

/** A neutral first reply for agent assist while a human prepares the real answer. */
export function holdingReply(language: string): string {
  return HOLDING[primaryTag(language)] ?? ENGLISH_HOLDING;
}
