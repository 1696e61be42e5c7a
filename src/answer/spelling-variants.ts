/**
 * British "-ise" spellings of English words written as "-ize" ("organisation" → "organization", "customised" →
 * "customized"), applied to the question and to the sources' sentences alike before the composer matches their terms:
 * the stemmer folds "organization" and "organizes" into one term but leaves "organis" apart, so a customer writing
 * "Which organisation…" missed the manual's "The main organization is…". Words that are "-ise" in both spellings
 * ("advise", "otherwise") become "-ize" on both sides, which matches as before. Only at least three letters before
 * "-ise": "raise", "noise" and "wise" stay.
 */
const ISE_RE = /\b(\p{L}{3,})is(e|es|ed|ing|ation|ations|er|ers)\b/giu;

/**
 * Country abbreviations written in capitals ("in the US", "U.S. customers", "UK plugs", "EU warranty") and their names:
 * "US" is read as the pronoun "us" (a stop word), so "Which organisation handles donations in the US?" lost its
 * country and could not prefer "…incorporated in the United States"; "UK" never matched "United Kingdom". The name is
 * added after the abbreviation on both sides (question and sentences), so either spelling finds the other.
 */
const COUNTRY_RE = /\b(?:U\.S\.(?:A\.)?|USA?|U\.K\.|UK|EU)(?![\w.])/gu;
const COUNTRY_NAMES: Readonly<Record<string, string>> = { US: "United States", USA: "United States", UK: "United Kingdom", EU: "European Union" };

/**
 * `text` with British "-ise" family endings spelt "-ize" and capitalised country abbreviations followed by the
 * country's name when `language` is English; otherwise `text`.
 */
export function usSpelling(text: string, language: string): string {
  if (language !== "en") return text;
  // Terms are lower-cased by the analyzer, so the case of the replacement does not matter.
  return text.replace(ISE_RE, "$1iz$2").replace(COUNTRY_RE, (m) => `${m} (${COUNTRY_NAMES[m.replace(/\./g, "")] ?? m})`);
}
