/**
 * British "-ise" spellings of English words written as "-ize" ("organisation" → "organization", "customised" →
 * "customized"), applied to the question and to the sources' sentences alike before the composer matches their terms:
 * the stemmer folds "organization" and "organizes" into one term but leaves "organis" apart, so a customer writing
 * "Which organisation…" missed the manual's "The main organization is…". Words that are "-ise" in both spellings
 * ("advise", "otherwise") become "-ize" on both sides, which matches as before. Only at least three letters before
 * "-ise": "raise", "noise" and "wise" stay.
 */
const ISE_RE = /\b(\p{L}{3,})is(e|es|ed|ing|ation|ations|er|ers)\b/giu;

/** `text` with British "-ise" family endings spelt "-ize" when `language` is English; otherwise `text`. */
export function usSpelling(text: string, language: string): string {
  if (language !== "en") return text;
  // Terms are lower-cased by the analyzer, so the case of the replacement does not matter.
  return text.replace(ISE_RE, "$1iz$2");
}
