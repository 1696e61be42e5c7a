import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Where the benchmark's words come from, and what to tell the user when the preferred list is missing. */
export interface Vocabulary {
  words: string[];
  source: string;
  /** Set when the real word list was missing and the fallback was used. */
  note?: string;
}

export const DICT_WORDS = "/usr/share/dict/words";

/** Plain lower-case words only: no possessives, proper nouns or accents, so generated text tokenises like prose. */
const WORD_RE = /^[a-z]{2,14}$/;

/**
 * The word list used for synthetic text: Debian's `wamerican` list (about 100k entries, ~60k usable words) when
 * installed, otherwise the vocabulary of the demo corpus (a few thousand words: far less realistic at scale).
 */
export function loadVocabulary(corporaDir: string, dictFile = DICT_WORDS): Vocabulary {
  if (existsSync(dictFile)) {
    return { words: uniqueWords(readFileSync(dictFile, "utf8").split("\n")), source: dictFile };
  }
  const text = walkText(corporaDir).join("\n");
  return {
    words: uniqueWords(text.toLowerCase().split(/[^a-z]+/)),
    source: `${corporaDir} (fallback)`,
    note: `${dictFile} is missing: install it with \`apt-get install wamerican\` for a realistic vocabulary; using the demo corpus's words instead`,
  };
}

/** Sorted unique usable words, so the list (and everything seeded from it) does not depend on file order. */
export function uniqueWords(candidates: readonly string[]): string[] {
  const set = new Set<string>();
  for (const w of candidates) if (WORD_RE.test(w)) set.add(w);
  return [...set].sort();
}

function walkText(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walkText(full));
    else if (/\.(md|html?|txt|jsonl?)$/i.test(name)) out.push(readFileSync(full, "utf8"));
  }
  return out;
}
