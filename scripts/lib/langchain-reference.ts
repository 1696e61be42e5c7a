import { Embeddings } from "@langchain/core/embeddings";
import { Document } from "@langchain/core/documents";
import { HNSWLib } from "@langchain/community/vectorstores/hnswlib";
import { RecursiveCharacterTextSplitter } from "@langchain/textsplitters";
import { PDFLoader } from "@langchain/community/document_loaders/fs/pdf";
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
  /** 1-based PDF page (one document per page, as LangChain's PDFLoader loads a PDF). */
  page?: number;
}

export interface ReferenceHit {
  documentId: string;
  title: string;
  text: string;
  score: number;
  page?: number;
}

/**
 * LangChain's documented PDF path: `PDFLoader` from `@langchain/community` with its defaults (`splitPages: true`:
 * one document per page, pages without text skipped), reading through the installed pdf-parse 2. Offline: no
 * network is involved. The document id is the file name, as an upload's.
 */
export async function loadPdfPages(path: string, fileName: string): Promise<ReferenceDoc[]> {
  const pages = await new PDFLoader(path).load();
  return pages.map((p) => {
    const loc: unknown = p.metadata.loc;
    const page = typeof loc === "object" && loc !== null ? Reflect.get(loc, "pageNumber") : undefined;
    return { id: fileName, title: "", text: p.pageContent, ...(typeof page === "number" ? { page } : {}) };
  });
}

export class LangChainReference {
  private constructor(private readonly store: HNSWLib) {}

  static async build(docs: readonly ReferenceDoc[], embedder: Embedder): Promise<LangChainReference> {
    const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 1000, chunkOverlap: 200 });
    const lcDocs = await splitter.splitDocuments(
      docs.map((d) => new Document({ pageContent: d.title ? `${d.title}\n${d.text}` : d.text, metadata: { id: d.id, title: d.title, ...(d.page !== undefined ? { page: d.page } : {}) } })),
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
    return hits.map(([doc, score]) => {
      const page: unknown = doc.metadata.page;
      return { documentId: String(doc.metadata.id), title: String(doc.metadata.title ?? ""), text: doc.pageContent, score, ...(typeof page === "number" ? { page } : {}) };
    });
  }
}
