import { CJK_HANGUL_CHARS } from "./cjk.js";

/**
 * Local token estimate used for chunk sizes. It approximates the BPE tokens of common chat models without
 * downloading any vocabulary (LangChain's tiktoken path would fetch data at run time): a Latin word costs one
 * token plus one per further 6 characters, every CJK character one, every other symbol one.
 */
const TOKEN_RE = new RegExp(String.raw`[${CJK_HANGUL_CHARS}]|(?:(?![${CJK_HANGUL_CHARS}])[\p{L}\p{M}\p{N}])+|[^\s\p{L}\p{M}\p{N}]`, "gu");

export function countTokens(text: string): number {
  let n = 0;
  for (const m of text.matchAll(TOKEN_RE)) {
    const s = m[0];
    n += s.length > 1 ? 1 + Math.floor((s.length - 1) / 6) : 1;
  }
  return n;
}
