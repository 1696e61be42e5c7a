import { randomUUID } from "node:crypto";
import type { Citation } from "../domain/answer.js";
import type { CuratedAnswer } from "../domain/curated.js";
import type { LoadedDocument } from "../domain/document.js";
import type { CuratedStore } from "../ports/curated-store.js";
import type { DocumentRepository } from "../ports/document-repository.js";
import { ingestDocuments, type IngestDeps, type IngestSettings, type TextRedactor } from "../../ingest/pipeline.js";

/** What the curated-answer use cases need: their own store, and the ingest use case's dependencies to index. */
export interface CuratedDeps {
  curated: CuratedStore;
  /** The ingest pipeline's dependencies: the latest version is ingested like any document (its `redact` included). */
  ingest: IngestDeps & { redact: TextRedactor };
  ingestSettings: (collection: string) => IngestSettings;
  /** Called after the index changed, so the vector index follows at once (the dense leg sees the new text). */
  onIndexed?: () => Promise<unknown>;
  /**
   * Runs writes one at a time (see `serialWrites`), so two edits of one answer cannot index out of order and leave an
   * older version indexed; writes run as they come when absent.
   */
  serialize?: <T>(fn: () => Promise<T>) => Promise<T>;
  now?: () => Date;
  newId?: () => string;
}

/** A curated answer as written: the question it answers, the answer, where, and the API key name writing it. */
export interface CuratedInput {
  collection: string;
  question: string;
  answer: string;
  /** Name of the API key (never the key). */
  author: string;
  /** Key name of whoever proposed the text, when an author accepts a /feedback correction (credited, never the author). */
  proposedBy?: string;
}

/** Document format and id prefix of curated answers in the document store. */
export const CURATED_FORMAT = "text/x-curated-answer";
const ID_PREFIX = "curated-";

/**
 * Writes a new curated answer: version 1 is stored (redacted with the policy for `curated` sources of its collection,
 * like any document) and indexed as a `curated` document — its question as the title (BM25's weighted field and the
 * embedding's heading), the answer as its text — so retrieval finds it like any source.
 */
export async function createCuratedAnswer(deps: CuratedDeps, input: CuratedInput): Promise<CuratedAnswer> {
  const id = `${ID_PREFIX}${deps.newId?.() ?? randomUUID()}`;
  return serially(deps, async () => {
    const saved = await deps.curated.addVersion(versionOf(deps, id, input), false);
    if (!saved) throw new Error("curated answer was not stored");
    await index(deps, saved, input);
    return saved;
  });
}

/** A new version of an existing curated answer (undefined when it does not exist); the new version is indexed. */
export async function reviseCuratedAnswer(deps: CuratedDeps, id: string, input: CuratedInput): Promise<CuratedAnswer | undefined> {
  return serially(deps, async () => {
    const saved = await deps.curated.addVersion(versionOf(deps, id, input), true);
    if (saved) await index(deps, saved, input);
    return saved;
  });
}

/** A `serialize` for `CuratedDeps`: each call starts when the previous one has settled (one process). */
export function serialWrites(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

const serially = <T>(deps: Pick<CuratedDeps, "serialize">, fn: () => Promise<T>): Promise<T> => (deps.serialize ? deps.serialize(fn) : fn());

/** Removes a curated answer from the index first (no answer quotes it from then on), then every version. */
export async function deleteCuratedAnswer(
  deps: Pick<CuratedDeps, "curated" | "onIndexed" | "serialize"> & { ingest: { store: DocumentRepository } },
  collection: string,
  id: string,
): Promise<boolean> {
  return serially(deps, async () => {
    if ((await deps.curated.get(collection, id)) === undefined) return false;
    await deps.ingest.store.deleteDocument(collection, id);
    await deps.onIndexed?.();
    return deps.curated.remove(collection, id);
  });
}

/**
 * Citations with the cited curated answers' current version, author (key name) and time; other citations unchanged.
 * A curated answer deleted between retrieval and now keeps its citation without them.
 */
export async function describeCuratedCitations(curated: Pick<CuratedStore, "latest">, citations: Citation[]): Promise<Citation[]> {
  const ids = citations.filter((c) => c.sourceType === "curated").map((c) => c.documentId);
  if (ids.length === 0) return citations;
  const latest = await curated.latest(ids);
  return citations.map((c) => {
    const found = c.sourceType === "curated" ? latest.get(c.documentId) : undefined;
    if (!found) return c;
    const proposedBy = found.proposedBy !== undefined ? { proposedBy: found.proposedBy } : {};
    return { ...c, curated: { version: found.version, author: found.author, ...proposedBy, updatedAt: found.updatedAt } };
  });
}

function versionOf(deps: CuratedDeps, id: string, input: CuratedInput) {
  const redact = (text: string): string => deps.ingest.redact(text, { sourceType: "curated", collection: input.collection }).text;
  return {
    collection: input.collection, id, question: redact(input.question.trim()), answer: redact(input.answer.trim()), author: input.author,
    ...(input.proposedBy !== undefined ? { proposedBy: input.proposedBy } : {}),
    at: (deps.now?.() ?? new Date()).toISOString(),
  };
}

/** Ingests the latest version as the document `(collection, id)`, replacing the previous version's chunks. */
async function index(deps: CuratedDeps, saved: CuratedAnswer, input: CuratedInput): Promise<void> {
  const doc: LoadedDocument = {
    id: saved.id,
    // The raw text: the pipeline redacts it with the same policy (and counts the redactions, as for any document).
    title: input.question.trim(),
    sourceType: "curated",
    format: CURATED_FORMAT,
    sections: [{ path: [], text: input.answer.trim() }],
  };
  await ingestDocuments({ store: deps.ingest.store, embedder: deps.ingest.embedder, redact: deps.ingest.redact }, [doc], deps.ingestSettings(saved.collection));
  await deps.onIndexed?.();
}
