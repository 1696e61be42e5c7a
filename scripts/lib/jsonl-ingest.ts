import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { Engine } from "../../src/container.js";
import type { LoadedDocument } from "../../src/domain/document.js";
import { loadFile } from "../../ingest/loaders/load-file.js";
import { ingestDocuments } from "../../ingest/pipeline.js";

/**
 * Ingests a JSONL dataset's files into the collection `eval` as the CLI would (redaction included) and catches the
 * vector index up; returns the documents of each file in order, for pipelines built beside the engine.
 */
export async function ingestJsonlFiles(engine: Engine, files: readonly string[]): Promise<LoadedDocument[][]> {
  const out: LoadedDocument[][] = [];
  for (const file of files) {
    const docs = await loadFile({ bytes: readFileSync(file), fileName: basename(file), sourcePath: file });
    await ingestDocuments({ store: engine.store, embedder: engine.embedder, redact: engine.redact }, docs, engine.ingestSettings("eval"));
    out.push(docs);
  }
  await engine.indexes.catchUp();
  return out;
}
