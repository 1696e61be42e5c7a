import { describe, expect, it } from "vitest";
import type { ChunkTerms } from "../../src/domain/chunk.js";
import type { KeywordHit } from "../../src/ports/keyword-index.js";
import { phrasesApart, withinWindow, type PhraseEvidenceDeps } from "../../src/retrieval/phrase-evidence.js";
import { questionPhrases } from "../../src/retrieval/question-names.js";
import { analyze } from "../../src/text/analyzer.js";
import { chunkTerms } from "../../src/text/chunk-terms.js";

/** A keyword index and store over texts written here: every chunk holding any of the terms is a hit. */
function collection(texts: readonly string[]): { deps: PhraseEvidenceDeps; df: (t: string) => number; searches: string[][] } {
  const chunks = texts.map((text, i): ChunkTerms => ({ chunkId: `c${i}`, documentId: `d${i}`, sectionPath: ["Guide"], position: 0, ...chunkTerms({ title: "Guide", sectionPath: ["Guide"], text }) }));
  const searches: string[][] = [];
  const has = (c: ChunkTerms, t: string): boolean => c.titleTokens.includes(t) || c.bodyTokens.includes(t);
  const deps: PhraseEvidenceDeps = {
    keywords: {
      search: async (terms, k): Promise<KeywordHit[]> => {
        searches.push([...terms]);
        return chunks.filter((c) => terms.some((t) => has(c, t))).slice(0, k).map((c) => ({ chunkId: c.chunkId, score: 1 }));
      },
    },
    store: { getChunkTerms: async (ids) => new Map(chunks.filter((c) => ids.includes(c.chunkId)).map((c) => [c.chunkId, c])) },
  };
  return { deps, df: (t) => chunks.filter((c) => has(c, t)).length, searches };
}

const MANUAL = [
  "You can start the installer from Zorblax Windows without changing the firmware settings.",
  "Keep a copy of your office documents on a second drive before you partition the disk.",
  "The Qwerty Earth viewer is packaged too. Wake the machine, then connect it to the LAN.",
  "UEFI firmware: turn off Secure Boot first (see the Secure Boot section).",
];

describe("phrasesApart", () => {
  it("finds the phrases whose words the documents hold only apart", async () => {
    const { deps, df } = collection(MANUAL);
    const apart = async (q: string): Promise<string[][]> => phrasesApart(deps, questionPhrases(q), df);
    expect(await apart("How do I install the Zorblax Office apps?")).toEqual([analyze("Zorblax Office")]);
    expect(await apart("How can I sync a folder with my Qwerty Drive?")).toEqual([analyze("Qwerty Drive")]);
    expect(await apart("How do I turn on Wake-on-LAN?")).toEqual([analyze("Wake on LAN")]);
    // Written together, in another order or with a word between, the phrase is seen.
    expect(await apart("Can I start it from Zorblax Windows?")).toEqual([]);
    expect(await apart("Must I disable UEFI Secure Boot?")).toEqual([]);
    // A phrase with a word the documents never hold is apart: none of its words counts as covering the question.
    expect(await apart("Does it support Vexon Drive?")).toEqual([analyze("Vexon Drive")]);
  });

  it("takes a joined word as seen when the documents write it whole, and searches only the collections asked", async () => {
    const { deps, df, searches } = collection([...MANUAL, "Enable WakeOnLAN in the firmware."]);
    expect(await phrasesApart(deps, questionPhrases("How do I turn on Wake-on-LAN?"), df)).toEqual([]);
    expect(searches).toEqual([]);
    const scoped = collection(MANUAL);
    const seenFilters: unknown[] = [];
    const search = scoped.deps.keywords.search;
    scoped.deps.keywords.search = async (terms, k, filter) => (seenFilters.push(filter), search(terms, k, filter));
    await phrasesApart(scoped.deps, questionPhrases("Is Zorblax Office free?"), scoped.df, ["manuals"]);
    expect(seenFilters).toEqual([{ collections: ["manuals"] }]);
  });

  it("looks at the chunks already read before searching", async () => {
    const { deps, df, searches } = collection(MANUAL);
    const pooled = [chunkTerms({ title: "Apps", sectionPath: [], text: "Zorblax Office runs in the browser." })];
    expect(await phrasesApart(deps, questionPhrases("Is Zorblax Office free?"), (t) => Math.max(1, df(t)), undefined, pooled)).toEqual([]);
    expect(searches).toEqual([]);
    expect(await phrasesApart(deps, questionPhrases("Is Zorblax Office free?"), df, undefined, [])).toEqual([analyze("Zorblax Office")]);
    expect(searches).toEqual([analyze("Zorblax Office")]);
  });
});

describe("withinWindow", () => {
  it("needs every term inside one window of the given span, in any order", () => {
    const stream = analyze("turn off secure boot before the uefi setup, then reboot the office computer");
    expect(withinWindow(stream, analyze("UEFI Secure Boot"), 5)).toBe(true);
    expect(withinWindow(stream, analyze("Secure Office"), 4)).toBe(false);
    expect(withinWindow(stream, analyze("Secure Office"), stream.length)).toBe(true);
  });
});
