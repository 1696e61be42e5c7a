import type { StoredDocument } from "../../src/domain/document.js";
import type { TicketSearchDeps } from "../../src/assist/similar-tickets.js";
import type { RetrievalResult, RetrieveOptions, ScoredChunk } from "../../src/retrieval/retrieve.js";

/** A labelled past ticket for the fake index: its text, category and a hand-made vector. */
export interface FakeTicket {
  id: string;
  category?: string;
  subject: string;
  text: string;
  vector: number[];
  language?: string;
  product?: string;
}

/**
 * Ticket search over a handful of tickets without an engine: "retrieval" ranks tickets by cosine to the query vector
 * that `queryVector` gives, the store answers getDocument/getVectors, the embedder returns that vector. Records
 * the options of every retrieve call.
 */
export function fakeTicketSearch(tickets: FakeTicket[], queryVector: (query: string) => number[]): TicketSearchDeps & { calls: RetrieveOptions[] } {
  const calls: RetrieveOptions[] = [];
  const cos = (a: number[], b: number[]): number => {
    const dot = a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);
    const n = Math.hypot(...a) * Math.hypot(...b);
    return n === 0 ? 0 : dot / n;
  };
  return {
    calls,
    async retrieve(query, options): Promise<RetrievalResult> {
      calls.push(options);
      const q = queryVector(query);
      const products = options.filter?.products;
      const ranked = tickets
        .filter((t) => !products || (t.product !== undefined && products.includes(t.product)))
        .map((t) => ({ t, s: cos(q, t.vector) }))
        .sort((a, b) => b.s - a.s)
        .slice(0, options.topK ?? 6);
      const chunks: ScoredChunk[] = ranked.map(({ t, s }, i) => ({
        id: `default/${t.id}#0`, documentId: t.id, title: t.subject, sectionPath: [], position: 0, text: t.text, contentHash: t.id, tokenCount: 10,
        collection: "default", sourceType: "ticket", score: 1 / (i + 1), similarity: s,
      }));
      return { query, terms: [], chunks, topSimilarity: ranked[0]?.s ?? 0, timings: { embedMs: 0, bm25Ms: 0, denseMs: 0, totalMs: 0 } };
    },
    store: {
      async getDocument(collection: string, id: string): Promise<StoredDocument | undefined> {
        const t = tickets.find((x) => x.id === id);
        if (!t || collection !== "default") return undefined;
        return {
          id: t.id, title: t.subject, sourceType: "ticket", format: "application/x-ticket", collection: "default", contentHash: t.id, chunkCount: 1,
          status: "ready", createdAt: "2026-01-01T00:00:00Z", updatedAt: "2026-01-01T00:00:00Z",
          ...(t.language ? { language: t.language } : {}),
          ticket: { subject: t.subject, ...(t.category ? { category: t.category } : {}), resolution: `resolution of ${t.id}` },
        };
      },
      async getVectors(chunkIds: readonly string[]): Promise<Map<string, Float32Array>> {
        return new Map(chunkIds.flatMap((key) => {
          const t = tickets.find((x) => `default/${x.id}#0` === key);
          return t ? [[key, Float32Array.from(t.vector)] as const] : [];
        }));
      },
    },
    embedder: { embedQuery: async (text: string) => Float32Array.from(queryVector(text)) },
  };
}
