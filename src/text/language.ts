import { languageScriptFamily, type ScriptFamily } from "../domain/chunk.js";
import { countScript } from "./cjk.js";

/**
 * Cheap language identification for routing replies and filters: script first (Han/Kana/Hangul), then a
 * stop-word vote among common Latin-script languages. Returns a BCP-47 primary tag.
 */

const LATIN_MARKERS: Record<string, readonly string[]> = {
  en: ["the", "and", "is", "to", "of", "how", "what", "where", "which", "why", "when", "my", "it", "you", "not", "with", "can", "does", "do", "i", "this", "that", "will", "for", "have", "there", "are", "a", "an", "work", "on", "in"],
  de: ["der", "die", "das", "und", "ist", "nicht", "wie", "ich", "mit", "ein", "eine", "auf", "kann", "wo", "warum", "funktioniert"],
  fr: ["le", "la", "les", "et", "est", "pas", "comment", "je", "avec", "une", "des", "du", "mon", "où", "pourquoi", "ne"],
  es: ["el", "la", "los", "las", "y", "es", "no", "cómo", "como", "mi", "con", "una", "del", "por", "en", "funciona", "qué", "que", "puedo"],
  it: ["il", "lo", "gli", "e", "è", "non", "come", "mio", "con", "una", "della", "per", "funziona"],
  nl: ["de", "het", "een", "is", "niet", "hoe", "mijn", "met", "van", "op", "werkt"],
  pt: ["o", "os", "é", "não", "como", "meu", "com", "uma", "da", "para", "funciona"],
};

/** The marker lists as sets (built once: both functions below test every word of a question against them). */
const MARKER_SETS: ReadonlyArray<readonly [string, ReadonlySet<string>]> = Object.entries(LATIN_MARKERS).map(([lang, m]) => [lang, new Set(m)] as const);
const ANY_MARKER: ReadonlySet<string> = new Set(Object.values(LATIN_MARKERS).flat());

export function detectLanguage(text: string, fallback = "en"): string {
  const letters = countScript(text, "letter");
  if (letters === 0) return fallback;
  const kana = countScript(text, "kana");
  const han = countScript(text, "han");
  const hangul = countScript(text, "hangul");
  if (kana > 0 && (kana + han) / letters > 0.2) return "ja";
  if (hangul / letters > 0.2) return "ko";
  if (han / letters > 0.2) return "zh";
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  let best = fallback;
  let bestScore = 0;
  for (const [lang, set] of MARKER_SETS) {
    const score = words.reduce((s, w) => s + (set.has(w) ? 1 : 0), 0);
    if (score > bestScore) {
      best = lang;
      bestScore = score;
    }
  }
  return best;
}

/** A BCP-47 tag's primary language subtag, lower case: "zh-Hans-CN" → "zh". */
export function primaryLanguage(language: string): string {
  return language.trim().toLowerCase().split(/[-_]/)[0] ?? "";
}

/** How a language is written, as far as quoting goes (defined with the chunk, whose statistics it also scopes). */
export type { ScriptFamily };

/** "cjk" for Chinese, Japanese and Korean, "alphabetic" for every other language tag. */
export function scriptFamily(language: string): ScriptFamily {
  return languageScriptFamily(language);
}

/**
 * The script family a question is definitely written in, or undefined when it shows none: CJK when CJK letters make
 * up a fifth of its letters (as {@link detectLanguage}), alphabetic only when it holds a function word of two letters
 * or more of a Latin-script language ("how", "the", "wie", …; one-letter ones such as "a", "e", "i" are also command
 * options and variables). A question that is only a command, a model number or other identifiers ("crontab -e",
 * "N2 E-104") is undefined: it reads the same beside a passage in either script.
 */
export function questionScriptFamily(question: string): ScriptFamily | undefined {
  const tag = detectLanguage(question, "");
  if (tag === "") return undefined;
  if (scriptFamily(tag) === "cjk") return "cjk";
  return (question.toLowerCase().match(/\p{L}{2,}/gu) ?? []).some((w) => ANY_MARKER.has(w)) ? "alphabetic" : undefined;
}

/**
 * Whether a chunk in `language` (its document's tag) may be quoted to a question of script family `family` — the one
 * rule for what an extractive reply may quote. A quote is the reply itself, so a passage in the other family would be
 * unreadable to the asker, and such a passage can only have matched on the few names both scripts share ("N2",
 * "Wi-Fi"). A question without a definite family, and a chunk without a language, constrain nothing.
 */
export function quotableIn(family: ScriptFamily | undefined, language: string | undefined): boolean {
  return family === undefined || language === undefined || scriptFamily(language) === family;
}
