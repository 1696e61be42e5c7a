import { OpenAIEmbeddings } from "@langchain/openai";
import { TransientError } from "../errors.js";
import type { Embedder } from "../ports/embedder.js";
import { l2normalize } from "./local-embedder.js";

/** Settings of an OpenAI-compatible embeddings endpoint (OpenAI, Azure-compatible proxies, vLLM, Ollama, llama.cpp). */
export interface OpenAIEmbedderOptions {
  apiKey: string;
  baseURL?: string;
  model: string;
  /** Requested output size; when absent it is measured with one probe request. */
  dimensions?: number;
  batchSize: number;
  maxRetries: number;
  timeoutMs: number;
}

/**
 * Embeddings through LangChain's `OpenAIEmbeddings`. `encodingFormat: "float"` is forced because the `openai`
 * SDK otherwise asks for base64, which many compatible servers do not implement.
 */
export class OpenAIEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  private readonly client: OpenAIEmbeddings;

  private constructor(client: OpenAIEmbeddings, model: string, dimensions: number) {
    this.client = client;
    this.id = `openai:${model}`;
    this.dimensions = dimensions;
  }

  /** Builds the embedder; probes the endpoint for the vector size when `dimensions` is not configured. */
  static async create(options: OpenAIEmbedderOptions): Promise<OpenAIEmbedder> {
    const client = new OpenAIEmbeddings({
      apiKey: options.apiKey,
      model: options.model,
      ...(options.dimensions ? { dimensions: options.dimensions } : {}),
      batchSize: options.batchSize,
      maxRetries: options.maxRetries,
      timeout: options.timeoutMs,
      encodingFormat: "float",
      stripNewLines: false,
      configuration: options.baseURL ? { baseURL: options.baseURL } : {},
    });
    const dimensions = options.dimensions ?? (await probe(client));
    return new OpenAIEmbedder(client, options.model, dimensions);
  }

  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const rows = await call(() => this.client.embedDocuments(texts));
    if (rows.length !== texts.length) throw new TransientError(`embedding endpoint returned ${rows.length} vectors for ${texts.length} texts`);
    return rows.map((r) => this.toVector(r));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return this.toVector(await call(() => this.client.embedQuery(text)));
  }

  private toVector(row: number[]): Float32Array {
    if (row.length !== this.dimensions) {
      throw new TransientError(`embedding endpoint returned ${row.length} dimensions, expected ${this.dimensions}`);
    }
    return l2normalize(Float32Array.from(row));
  }
}

async function probe(client: OpenAIEmbeddings): Promise<number> {
  const v = await call(() => client.embedQuery("dimension probe"));
  return v.length;
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new TransientError(`embedding request failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
