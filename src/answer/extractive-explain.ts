import { LEAD_OUT_END_RE, ROW_RE, type Sentence } from "./extractive-blocks.js";

/**
 * A sentence right after a block that speaks of it: "This is an indication that…", "These lines…", "In this example
 * the system…", "Here…", "The above…"; in Chinese 这/此/以上/上述/其中 (此时 too: "at this point").
 */
const BACK_REFERENCE_RE =
  /^\s*(?:(?:this|these|that|those|here|such)\b|in\s+(?:this|the\s+above)\s+(?:example|case|output)\b|the\s+(?:above|output|first\s+line|last\s+line)\b|where\b|dies(?:e[rsn]?)?\b|hier\b|ceci\b|cela\b|ces?\b|esto\b|este\b|estas?\b|这|此|以上|上述|其中)/iu;

/**
 * A passage that ends on a block (a log excerpt, console output, a configuration snippet) says what the block is
 * only when the paragraph after it is quoted too: "You might find the following lines in your system logs:" and the
 * lines, without "This does not indicate any kind of compromise… This is an indication that your syslogd daemon is
 * running properly", leaves the question unanswered. When the paragraph under the block opens by referring back to
 * it, its sentences are carried within the word `budget` (counting the whole passage), up to the paragraph's end, a
 * new lead-out, block, list, heading or label. Returns the passage's new last index (`end` when nothing is carried).
 */
export function explainAfter(ss: readonly Sentence[], start: number, end: number, budget: number): number {
  const first = ss[end + 1];
  if (!ss[end]?.verbatim || !first?.paragraph || !BACK_REFERENCE_RE.test(first.text)) return end;
  let words = 0;
  for (let k = start; k <= end; k++) words += ss[k]?.words ?? 0;
  let last = end;
  for (let k = end + 1; k < ss.length; k++) {
    const s = ss[k]!;
    const closes = (k > end + 1 && s.paragraph) || s.verbatim || s.skip || s.group >= 0 || s.label || ROW_RE.test(s.text) || LEAD_OUT_END_RE.test(s.text);
    if (closes || words + s.words > budget) break;
    words += s.words;
    last = k;
  }
  return last;
}
