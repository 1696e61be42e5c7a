import { sentenceSpans } from "../text/sentences.js";

/**
 * Retrieved text is data, never instructions. Sentences that address an AI system ("ignore all previous
 * instructions", "system prompt", "you are now…", "忽略之前的指令") are cut out of sources before any composer sees
 * them, so a model that would obey them never reads them and verification finds no support for what they asked.
 */
const INJECTION_PATTERNS: readonly RegExp[] = [
  /\b(?:ignore|disregard|forget|override)\b[^.!?\n]{0,40}\b(?:previous|prior|above|earlier|all|any|the)\b[^.!?\n]{0,20}\b(?:instructions?|prompts?|rules?|directions?|context)\b/i,
  /\b(?:system|developer)\s+(?:prompt|note|message|instruction)s?\b/i,
  /\byou\s+(?:are\s+now|must\s+now|will\s+now)\b/i,
  /\b(?:as\s+an?\s+)?(?:ai|assistant|language\s+model|chatbot|llm)\b[^.!?\n]{0,40}\b(?:must|should|will)\s+(?:tell|say|reply|respond|answer|recommend)\b/i,
  /\b(?:new|updated)\s+instructions?\s*:/i,
  /(?:忽略|无视|忘记)(?:之前|以上|上面|前面|所有)?的?(?:所有)?(?:指令|指示|提示|规则)/,
  /(?:系统提示|系统指令|你现在是)/,
];

export function looksLikeInjection(sentence: string): boolean {
  return INJECTION_PATTERNS.some((re) => re.test(sentence));
}

/** Removes instruction-like sentences from a source text, keeping everything else verbatim. */
export function stripInjections(text: string, language?: string): string {
  if (!INJECTION_PATTERNS.some((re) => re.test(text))) return text;
  let out = "";
  let from = 0;
  for (const span of sentenceSpans(text, language)) {
    if (!looksLikeInjection(text.slice(span.start, span.end))) continue;
    out += text.slice(from, span.start);
    from = span.end;
  }
  return out + text.slice(from);
}
