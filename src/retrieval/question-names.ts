import { analyze } from "../text/analyzer.js";

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
const LATIN_WORD = /(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])[\p{L}\p{N}])(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])[\p{L}\p{N}'’._\-/+])*/gu;

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
