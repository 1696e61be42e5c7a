import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, type Config } from "../../src/config.js";
import { openEngine, type Engine } from "../../src/container.js";
import { ingestPaths } from "../../ingest/ingest-files.js";
import { ingestDocuments } from "../../ingest/pipeline.js";
import type { LoadedDocument } from "../../src/domain/document.js";
import type { RetrieverDeps } from "../../src/retrieval/retrieve.js";

/** A config for tests: a fresh temporary DATA_DIR and the embedded defaults, plus overrides. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const dir = mkdtempSync(join(tmpdir(), "groundline-test-"));
  return loadConfig({ DATA_DIR: dir, LOG_LEVEL: "silent", ...overrides });
}

export async function openTestEngine(overrides: Record<string, string> = {}): Promise<{ engine: Engine; config: Config; cleanup: () => Promise<void> }> {
  const config = testConfig(overrides);
  const engine = await openEngine(config);
  return {
    engine,
    config,
    cleanup: async () => {
      await engine.close().catch(() => undefined);
      rmSync(config.DATA_DIR, { recursive: true, force: true });
    },
  };
}

/** A test engine with `files` (name → Markdown) ingested and the vector index caught up. */
export async function openTestEngineWith(files: Record<string, string>, overrides: Record<string, string> = {}): ReturnType<typeof openTestEngine> {
  const t = await openTestEngine(overrides);
  const dir = join(t.config.DATA_DIR, "src");
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  await ingestPaths({ store: t.engine.store, embedder: t.engine.embedder }, [dir], { settings: t.engine.ingestSettings(), maxBytes: 1e6 });
  await t.engine.indexes.catchUp();
  return t;
}

/** Ingests `paths` (files or folders) as the CLI does, with redaction, and catches the vector index up. */
export async function ingestInto(t: Awaited<ReturnType<typeof openTestEngine>>, paths: string[], collection?: string): Promise<void> {
  const { engine, config } = t;
  await ingestPaths({ store: engine.store, embedder: engine.embedder, redact: engine.redact }, paths, {
    settings: engine.ingestSettings(collection),
    maxBytes: config.MAX_FILE_BYTES,
  });
  await engine.indexes.catchUp();
}

/**
 * A test engine holding `docs` (ingested as prepared documents, vector index caught up) and the retriever's ports over
 * it, for the ranking tests that call `retrieve` directly.
 */
export async function openRetrievalFixture(docs: LoadedDocument[]): Promise<{ ctx: Awaited<ReturnType<typeof openTestEngine>>; deps: RetrieverDeps }> {
  const ctx = await openTestEngine();
  await ingestDocuments({ store: ctx.engine.store, embedder: ctx.engine.embedder }, docs, ctx.engine.ingestSettings());
  await ctx.engine.indexes.catchUp();
  const deps: RetrieverDeps = { store: ctx.engine.store, keywords: ctx.engine.keywords, embedder: ctx.engine.embedder, vectors: () => ctx.engine.vectors() };
  return { ctx, deps };
}
