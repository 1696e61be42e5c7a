import { Embeddings } from "@langchain/core/embeddings";
import { Document } from "@langchain/core/documents";
import { HNSWLib } from "@langchain/community/vectorstores/hnswlib";
import { RecursiveCharacterTextSplitter } from "@langchain/textsplitters";
import type { Embedder } from "../../src/ports/embedder.js";

/**
 * The reference pipeline as LangChain's documentation builds it: `RecursiveCharacterTextSplitter` with its
 * documented chunkSize 1000 / chunkOverlap 200, `HNSWLib` from `@langchain/community` (JSON docstore), dense-only
 * top-4 retrieval. It uses OUR embedder through LangChain's `Embeddings` interface so only the pipeline differs.
 * A dev-only adapter: `@langchain/community` is a devDependency used by `npm run eval` and `npm run bench`.
 */
class EmbedderAdapter extends Embeddings {
  constructor(private readonly embedder: Embedder) {
    super({});
  }
  async embedDocuments(texts: string[]): Promise<number[][]> {
    return (await this.embedder.embedDocuments(texts)).map((v) => Array.from(v));
  }
  async embedQuery(text: string): Promise<number[]> {
    return Array.from(await this.embedder.embedQuery(text));
  }
}

export interface ReferenceDoc {
  id: string;
  title: string;
  text: string;
}

export interface ReferenceHit {
  documentId: string;
  title: string;
  text: string;
  score: number;
}

export class LangChainReference {
  private constructor(private readonly store: HNSWLib) {}

  static async build(docs: readonly ReferenceDoc[], embedder: Embedder): Promise<LangChainReference> {
    const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 1000, chunkOverlap: 200 });
    const lcDocs = await splitter.splitDocuments(
      docs.map((d) => new Document({ pageContent: d.title ? `${d.title}\n${d.text}` : d.text, metadata: { id: d.id, title: d.title } })),
    );
    // fromDocuments uses the cosine space, its documented default.
    const store = await HNSWLib.fromDocuments(lcDocs, new EmbedderAdapter(embedder));
    return new LangChainReference(store);
  }

  static async load(dir: string, embedder: Embedder): Promise<LangChainReference> {
    return new LangChainReference(await HNSWLib.load(dir, new EmbedderAdapter(embedder)));
  }

  async save(dir: string): Promise<void> {
    await this.store.save(dir);
  }

  /** Dense top-k (LangChain's default k is 4); `exclude` hides removed documents (held-out evaluation). */
  async search(query: string, k = 4, exclude?: ReadonlySet<string>): Promise<ReferenceHit[]> {
    const filter = exclude && exclude.size > 0 ? (doc: Document) => !exclude.has(String(doc.metadata.id)) : undefined;
    const hits = await this.store.similaritySearchWithScore(query, k, filter);
    return hits.map(([doc, score]) => ({ documentId: String(doc.metadata.id), title: String(doc.metadata.title ?? ""), text: doc.pageContent, score }));
  }
}
