import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { estimateChunks, type SyntheticCorpus } from "./synthetic-corpus.js";

/** How many leading documents of the corpus make up each benchmark size (sizes are prefixes of one corpus). */
export interface SizePlan {
  /** Requested size in chunks. */
  target: number;
  documents: number;
  estimatedChunks: number;
  /** Bytes of Markdown in those documents. */
  bytes: number;
}

export interface CorpusFiles {
  dir: string;
  sizes: SizePlan[];
  seconds: number;
}

/** Path of generated document `i` (as written by {@link writeCorpus}). */
export function corpusFile(dir: string, i: number): string {
  return join(dir, `doc-${String(i).padStart(7, "0")}.md`);
}

/** The files of the first `documents` documents. */
export function corpusFiles(dir: string, documents: number): string[] {
  return Array.from({ length: documents }, (_, i) => corpusFile(dir, i));
}

/**
 * Writes Markdown files until the estimated chunk count reaches the largest target, noting where each smaller
 * target is reached. Generation is not part of any measured figure.
 */
export function writeCorpus(corpus: SyntheticCorpus, dir: string, targets: readonly number[], chunking: { maxTokens: number; overlapTokens: number }): CorpusFiles {
  const t0 = performance.now();
  mkdirSync(dir, { recursive: true });
  const pending = [...targets].sort((a, b) => a - b);
  const sizes: SizePlan[] = [];
  let chunks = 0;
  let bytes = 0;
  for (let i = 0; pending.length > 0; i++) {
    const doc = corpus.document(i);
    writeFileSync(corpusFile(dir, i), doc.markdown);
    chunks += estimateChunks(doc, chunking.maxTokens, chunking.overlapTokens);
    bytes += Buffer.byteLength(doc.markdown);
    while (pending.length > 0 && chunks >= pending[0]!) {
      sizes.push({ target: pending.shift()!, documents: i + 1, estimatedChunks: chunks, bytes });
    }
  }
  return { dir, sizes, seconds: (performance.now() - t0) / 1000 };
}
