import type { DocumentRepository } from "../ports/document-repository.js";
import type { Embedder } from "../ports/embedder.js";
import type { RetrievalResult, RetrieveOptions } from "../retrieval/retrieve.js";

/** A past ticket close to the current conversation. */
export interface SimilarTicket {
  documentId: string;
  /** The ticket document's collection (a document is `(collection, id)`). */
  collection: string;
  subject: string;
  category?: string;
  resolution?: string;
  status?: string;
  /** Cosine similarity of the ticket's text to the conversation (embedder space), 0–1. */
  similarity: number;
  /** The retrieved ticket text (redacted at ingestion): "Subject: …\nCustomer: …\nAgent: …\nResolution: …". */
  text: string;
}

export interface TicketSearchDeps {
  retrieve: (query: string, options: RetrieveOptions) => Promise<RetrievalResult>;
  store: Pick<DocumentRepository, "getDocument" | "getVectors">;
  embedder: Pick<Embedder, "embedQuery">;
}

export interface TicketSearchOptions {
  limit?: number;
  products?: string[];
  collections?: string[];
  /** Tickets to leave out (the ticket being triaged, in leave-one-out evaluation). */
  excludeIds?: ReadonlySet<string>;
}

/**
 * The past tickets nearest to `query`: hybrid retrieval restricted to tickets (BM25 + vectors, the engine's best
 * ranking), one entry per ticket, in retrieval order, each with its metadata from the store and its cosine
 * similarity. With `products`, tickets of other products are left out unless none match.
 */
export async function findSimilarTickets(deps: TicketSearchDeps, query: string, options: TicketSearchOptions = {}): Promise<SimilarTicket[]> {
  const limit = options.limit ?? 5;
  const filter = { sourceTypes: ["ticket" as const], ...(options.collections ? { collections: options.collections } : {}) };
  const topK = limit + (options.excludeIds?.size ?? 0);
  let result = await deps.retrieve(query, { topK, filter: options.products ? { ...filter, products: options.products } : filter });
  if (options.products && result.chunks.length === 0) result = await deps.retrieve(query, { topK, filter });
  const queryVector = await deps.embedder.embedQuery(query);
  const vectors = await deps.store.getVectors(result.chunks.map((c) => c.id));
  const out: SimilarTicket[] = [];
  for (const chunk of result.chunks) {
    if (out.length >= limit) break;
    if (options.excludeIds?.has(chunk.documentId) || out.some((t) => t.documentId === chunk.documentId && t.collection === chunk.collection)) continue;
    const doc = await deps.store.getDocument(chunk.collection, chunk.documentId);
    const vector = vectors.get(chunk.id);
    const ticket = doc?.ticket;
    out.push({
      documentId: chunk.documentId,
      collection: chunk.collection,
      subject: ticket?.subject ?? doc?.title ?? chunk.title,
      ...(ticket?.category !== undefined ? { category: ticket.category } : {}),
      ...(ticket?.resolution !== undefined ? { resolution: ticket.resolution } : {}),
      ...(ticket?.status !== undefined ? { status: ticket.status } : {}),
      similarity: vector ? round(Math.max(0, cosine(queryVector, vector))) : 0,
      text: chunk.text,
    });
  }
  return out;
}

/** The predicted category and the share of the vote it won. */
export interface IntentVote {
  category: string | null;
  confidence: number;
  /** Vote weight per category, most first. */
  votes: Array<{ category: string; weight: number }>;
}

/**
 * k-NN intent: each of the nearest labelled tickets votes for its category with its similarity (rank-discounted,
 * so the retrieval order still counts when similarities are close); confidence is the winning share of the weight.
 */
export function voteIntent(tickets: readonly SimilarTicket[], k = 7): IntentVote {
  const weights = new Map<string, number>();
  tickets
    .filter((t) => t.category !== undefined)
    .slice(0, k)
    .forEach((t, rank) => {
      const w = Math.max(t.similarity, 0.01) / (1 + 0.25 * rank);
      weights.set(t.category!, (weights.get(t.category!) ?? 0) + w);
    });
  const votes = [...weights].map(([category, weight]) => ({ category, weight: round(weight) })).sort((a, b) => b.weight - a.weight);
  const total = votes.reduce((s, v) => s + v.weight, 0);
  const top = votes[0];
  if (!top || total === 0) return { category: null, confidence: 0, votes: [] };
  return { category: top.category, confidence: round(top.weight / total), votes };
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
