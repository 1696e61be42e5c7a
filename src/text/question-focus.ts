import { queryTerms } from "./analyzer.js";
import { splitSentences } from "./sentences.js";

/** A sentence that asks: ends with a question mark, or opens with a question word. */
const ASKING_RE = /[?？]\s*$|^\s*(?:how|what|which|where|when|why|who|can|could|is|are|do|does|should|will|would)\b|吗|什么|怎么|如何|哪|多少|为什么/iu;

/**
 * Analyzer terms of the question's asking sentence(s) when the question also tells a story around them ("It keeps
 * falling back to the text installer on my laptop. How much memory does the graphical one need?"); empty for a
 * one-sentence question or when every sentence asks. Customers give context first; the answer matches the ask.
 */
export function focusTerms(question: string, language?: string): Set<string> {
  const parts = splitSentences(question, language).filter((p) => p.trim() !== "");
  if (parts.length < 2) return new Set();
  const asking = parts.filter((p) => ASKING_RE.test(p));
  if (asking.length === 0 || asking.length === parts.length) return new Set();
  return new Set(asking.flatMap((p) => queryTerms(p)));
}
