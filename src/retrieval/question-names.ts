import { analyze } from "../text/analyzer.js";
import { CJK_CHARS } from "../text/cjk.js";

/**
 * The names in a question: the words a customer writes as a product, a brand, a version or a model — capitalised
 * inside a sentence ("Microsoft Office", "Google Drive"), all capitals or mixed case ("WSL", "PostgreSQL"), or
 * holding a digit ("k3s", "A770", "Debian 12"). The first word of a sentence is only a name when its capitals are
 * not just the sentence's ("How" is not, "WSL" is). Latin script only: Chinese and Japanese
 * text has no capitals to tell a name from a word; Latin words inside it (a model number, "M2") still count.
 * Used by `queryEvidence`: a name no chunk contains weighs as what the question is about.
 * Returns analyzer terms, deduplicated, in order of first appearance.
 */
export function questionNames(question: string): string[] {
  const out: string[] = [];
  for (const sentence of question.split(SENTENCE_END)) {
    const words = sentence.match(LATIN_WORD) ?? [];
    words.forEach((raw, i) => {
      // "Debian's" names Debian; "I", "I'm" are the one capitalised English word that is never a name.
      const word = raw.replace(POSSESSIVE, "");
      if (!PRONOUN_I.test(word) && isName(word, i === 0 && startsSentence(sentence, raw))) out.push(...analyze(word));
    });
  }
  return [...new Set(out)];
}

const SENTENCE_END = /(?<=[.?!。？！])\s+|(?<=[。？！])/u;
/** Latin letters and digits, with the joiners product names use ("Wake-on-LAN", "k3s.io", "C++"). */
const LATIN_WORD = new RegExp(String.raw`(?:(?![${CJK_CHARS}])[\p{L}\p{N}])(?:(?![${CJK_CHARS}])[\p{L}\p{N}'’._\-/+])*`, "gu");

const POSSESSIVE = /['’]s$/u;
const PRONOUN_I = /^I(?:['’]\p{L}+)?$/u;

function startsSentence(sentence: string, word: string): boolean {
  return sentence.trimStart().startsWith(word);
}

function isName(word: string, sentenceStart: boolean): boolean {
  if (/\p{N}/u.test(word)) return /\p{L}/u.test(word) || word.length > 1;
  const innerCapital = /\p{Lu}/u.test(word.slice(1));
  if (sentenceStart) return innerCapital;
  return /^\p{Lu}/u.test(word) || innerCapital;
}

/**
 * The terms of each word the question writes with joiners ("chmod'ing", "somebody's", "long-term"): the analyzer
 * gives its parts and their joined form, so one written word becomes two or three terms. Only groups of two or more
 * distinct terms are returned, each in analyzer order.
 */
export function questionCompounds(question: string): string[][] {
  const out: string[][] = [];
  for (const word of question.match(LATIN_WORD) ?? []) {
    if (!JOINER.test(word)) continue;
    const terms = [...new Set(analyze(word))];
    if (terms.length > 1) out.push(terms);
  }
  return out;
}

const JOINER = /[\p{L}\p{N}]['’._\-/+][\p{L}\p{N}]/u;

/**
 * The phrases a question writes as one thing, each as the analyzer terms of its words, in order: a name of several
 * capitalised words ("Microsoft Office", "Google Drive", "Daylight Saving Time") and a word joined by hyphens, dots,
 * slashes or pluses ("Wake-on-LAN", "long-term"). `queryEvidence` weighs a phrase the documents never write together
 * as `apart`, though each of its words is seen alone: a manual that names Microsoft Windows and an office does not name
 * Microsoft Office. Left out, because their words say nothing about a phrase:
 * - a word holding a digit ends a name: a version or a model number names a variant the documents may write
 *   otherwise ("Motorola 68030" in a manual that writes "Motorola 680x0"); the number alone is still a name;
 * - a sentence where nearly every word is capitalised (Title Case, all capitals): its capitals are typography;
 * - words joined by an apostrophe ("chmod'ing", "Debian's"): an inflection, not two words.
 * Phrases of fewer than two distinct terms are dropped.
 */
export function questionPhrases(question: string): QuestionPhrase[] {
  const out: QuestionPhrase[] = [];
  const keep = (words: readonly string[], joined?: string): void => {
    const terms = [...new Set(words.flatMap((w) => analyze(w)))];
    if (terms.length > 1) out.push({ terms, ...(joined !== undefined ? { joined } : {}) });
  };
  for (const sentence of question.split(SENTENCE_END)) for (const run of nameRuns(sentence)) keep(run);
  for (const raw of question.match(LATIN_WORD) ?? []) {
    const word = raw.replace(POSSESSIVE, "");
    if (/['’]/u.test(word) || !JOINER.test(word)) continue;
    const parts = word.split(/[._\-/+]+/u);
    const partTerms = new Set(parts.flatMap((p) => analyze(p)));
    keep(parts, analyze(word).find((t) => !partTerms.has(t)));
  }
  return out;
}

/** A phrase's terms; for a joined word also the term the analyzer makes of it whole ("wakeonlan"), when it makes one. */
export interface QuestionPhrase {
  terms: string[];
  joined?: string;
}

/** Runs of two or more names (see `isName`, none holding a digit) that stand next to each other, only spaces between. */
function nameRuns(sentence: string): string[][] {
  const words = [...sentence.matchAll(LATIN_WORD)];
  const rest = words.slice(1).filter((m) => !PRONOUN_I.test(m[0]));
  const capitalised = rest.filter((m) => /^\p{Lu}/u.test(m[0])).length;
  if (words.length >= TITLE_CASE_MIN_WORDS && capitalised * 3 > rest.length * 2) return [];
  const runs: string[][] = [];
  let run: string[] = [];
  let end = -1;
  words.forEach((m, i) => {
    const raw = m[0];
    const word = raw.replace(POSSESSIVE, "");
    const name = !PRONOUN_I.test(word) && !/\p{N}/u.test(word) && isName(word, i === 0 && startsSentence(sentence, raw));
    if (!name || end < 0 || !/^\s+$/u.test(sentence.slice(end, m.index))) (run.length > 1 && runs.push(run), (run = []));
    if (name) run.push(word);
    // A possessive ends the name ("Debian's Office" is two things).
    end = name && word === raw ? m.index + raw.length : -1;
  });
  if (run.length > 1) runs.push(run);
  return runs;
}

/**
 * A sentence of at least this many words is typography when more than two thirds of its words after the first ("I"
 * aside) are capitalised; a shorter one ("Use Google Drive?") or one with a long name in it ("where do I set
 * Daylight Saving Time?") keeps its names.
 */
const TITLE_CASE_MIN_WORDS = 4;
