import type { ChunkFilter, ChunkTermLists, ScriptFamily } from "../domain/chunk.js";
import type { DocumentRepository } from "../ports/document-repository.js";
import type { KeywordIndex } from "../ports/keyword-index.js";
import { quotableIn } from "../text/language.js";
import type { QuestionPhrase } from "./question-names.js";

/**
 * Which of the question's phrases (`questionPhrases`: a name of several words, a joined word) the documents never
 * write together, each word seen alone or not. "Microsoft Office" to a manual that names Microsoft Windows and an
 * office, "Google Drive" to one that names Google Earth and many a drive, "Wake-on-LAN" to one that has "wake" and
 * "LAN" in other places: every word is seen, so the plain unseen share says the question is covered, but what it is
 * about is not. `queryEvidence` weighs such a phrase as `apart`, which `confidenceScore` takes as a refusal.
 *
 * Together means within a window of the phrase's length plus {@link PHRASE_SLACK} terms of one field (title and
 * section path, or text), in any order: "Secure Boot (UEFI)" holds "UEFI Secure Boot", "Debian GNU/Linux 12" would
 * hold "Debian 12". A joined word is also seen when the documents write it whole ("WakeOnLAN"). The chunks looked at
 * are the keyword index's best {@link PHRASE_CANDIDATES} for the phrase's terms in the question's collections: a
 * chunk holding all of a phrase's words outranks one holding only its commoner words, so a phrase written anywhere
 * is found unless it is common (and then it is found in the first ones).
 */
export const PHRASE_SLACK = 2;
export const PHRASE_CANDIDATES = 50;

export interface PhraseEvidenceDeps {
  keywords: Pick<KeywordIndex, "search">;
  store: Pick<DocumentRepository, "getChunkTerms">;
}

/**
 * The terms of each phrase in `phrases` that no chunk of `collections` holds together; `df` gives chunk counts.
 * `pooled`: chunks whose terms are already read (the question's candidate pool), looked at before searching.
 * `family`: only chunks of that script family (or without a language) count, as for `df` (the chunks a reply may quote).
 */
export async function phrasesApart(
  deps: PhraseEvidenceDeps, phrases: readonly QuestionPhrase[], df: (term: string) => number, collections?: readonly string[], pooled: readonly ChunkTermLists[] = [],
  family?: ScriptFamily,
): Promise<string[][]> {
  const apart: string[][] = [];
  const filter: ChunkFilter | undefined = collections ? { collections: [...collections] } : undefined;
  for (const phrase of phrases) {
    if (phrase.joined !== undefined && df(phrase.joined) > 0) continue;
    if (phrase.terms.some((t) => df(t) === 0)) apart.push(phrase.terms);
    else if (!holdsTogether(pooled, phrase.terms) && !(await writtenTogether(deps, phrase.terms, filter, family))) apart.push(phrase.terms);
  }
  return apart;
}

async function writtenTogether(deps: PhraseEvidenceDeps, terms: readonly string[], filter: ChunkFilter | undefined, family: ScriptFamily | undefined): Promise<boolean> {
  const hits = await deps.keywords.search(terms, PHRASE_CANDIDATES, filter);
  const stored = [...(await deps.store.getChunkTerms(hits.map((h) => h.chunkId))).values()];
  return holdsTogether(stored.filter((c) => quotableIn(family, c.language)), terms);
}

function holdsTogether(chunks: Iterable<ChunkTermLists>, terms: readonly string[]): boolean {
  const span = terms.length + PHRASE_SLACK;
  for (const chunk of chunks) if (fields(chunk).some((f) => withinWindow(f, terms, span))) return true;
  return false;
}

function fields(chunk: ChunkTermLists): string[][] {
  return [chunk.titleTokens, chunk.bodyTokens];
}

/** Whether `stream` holds every one of `terms` inside some window of `span` consecutive terms. */
export function withinWindow(stream: readonly string[], terms: readonly string[], span: number): boolean {
  const wanted = new Set(terms);
  const last = new Map<string, number>();
  for (let i = 0; i < stream.length; i++) {
    const t = stream[i]!;
    if (!wanted.has(t)) continue;
    last.set(t, i);
    if (last.size === wanted.size && i - Math.min(...last.values()) < span) return true;
  }
  return false;
}
