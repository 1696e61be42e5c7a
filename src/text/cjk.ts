/**
 * The CJK character classes every module's patterns are built from, so that "Chinese or Japanese text" means the
 * same characters wherever it is asked. The classes are `RegExp` source fragments meant for inside `[...]` and need
 * the `u` flag. Which class a pattern takes is part of its meaning, so each is named for what it holds:
 *
 * - {@link CJK_CHARS} (Han, Hiragana, Katakana): text written without spaces between words, which the analyzer
 *   segments and bigrams and the answer side counts per character. Hangul is not in it: Korean spaces its words,
 *   so a Hangul word is analyzed like a Latin one.
 * - {@link CJK_HANGUL_CHARS} (the same plus Hangul): where only "no letter case, one token a character" matters —
 *   token counts, chunk units, sentence continuation, a title's first character.
 * - {@link CJK_PUNCT_CHARS}: the CJK symbols and full-width forms blocks, which join CJK text without a space.
 */

/** Han characters (Chinese, and Japanese kanji). */
export const HAN_CHARS = String.raw`\p{Script=Han}`;
/** The Japanese syllabaries. */
export const KANA_CHARS = String.raw`\p{Script=Hiragana}\p{Script=Katakana}`;
/** Korean Hangul. */
export const HANGUL_CHARS = String.raw`\p{Script=Hangul}`;
/** Chinese and Japanese characters: scripts written without spaces between words. */
export const CJK_CHARS = HAN_CHARS + KANA_CHARS;
/** Chinese, Japanese and Korean characters. */
export const CJK_HANGUL_CHARS = CJK_CHARS + HANGUL_CHARS;
/** CJK Symbols and Punctuation (U+3000–U+303F) and Halfwidth and Fullwidth Forms (U+FF00–U+FFEF). */
export const CJK_PUNCT_CHARS = String.raw`\u3000-\u303f\uff00-\uffef`;

/** Holds a Chinese or Japanese character somewhere (not global: safe to share and `test`). */
export const HAS_CJK_RE = new RegExp(`[${CJK_CHARS}]`, "u");
/** Starts with a Chinese or Japanese character (not global: safe to share and `test`). */
export const STARTS_CJK_RE = new RegExp(`^[${CJK_CHARS}]`, "u");

const SCRIPT_RE = {
  han: new RegExp(`[${HAN_CHARS}]`, "gu"),
  kana: new RegExp(`[${KANA_CHARS}]`, "gu"),
  hangul: new RegExp(`[${HANGUL_CHARS}]`, "gu"),
  letter: /\p{L}/gu,
} as const;

/** A script whose characters {@link countScript} counts; `letter` is any letter of any script. */
export type CountedScript = keyof typeof SCRIPT_RE;

/** How many characters of `text` are in `script` (`String.match` with a global pattern keeps no `lastIndex`). */
export function countScript(text: string, script: CountedScript): number {
  return text.match(SCRIPT_RE[script])?.length ?? 0;
}
