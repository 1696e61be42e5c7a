import type pg from "pg";
import type { ChunkInput, DocumentRecord, ReplaceResult } from "../ports/document-repository.js";
import { insertChunks, updateKept, type PgExistingRow } from "./pg-chunk-writes.js";

/** One document of a write batch, its chunks deduplicated and validated. */
export interface PgDocumentWrite { doc: DocumentRecord; unique: readonly ChunkInput[] }

/** Upserts documents (every column of DOCUMENT_UPSERT in store-rows.ts) in one statement. */
const UPSERT_MANY = `INSERT INTO documents (id, title, collection, source_type, format, product, language, url, source_path, pages, ticket,
    content_hash, chunk_count, status, last_error, created_at, updated_at, redactions)
  SELECT u.id, u.title, u.collection, u.source_type, u.format, u.product, u.language, u.url, u.source_path, u.pages, u.ticket, u.content_hash,
    u.chunk_count, 'ready', NULL, $15, $15, u.redactions
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[],
    $11::text[], $12::text[], $13::int[], $14::int[]) AS u (id, title, collection, source_type, format, product, language, url, source_path,
    pages, ticket, content_hash, chunk_count, redactions)
  ON CONFLICT (collection, id) DO UPDATE SET title = excluded.title, source_type = excluded.source_type,
  format = excluded.format, product = excluded.product, language = excluded.language, url = excluded.url, source_path = excluded.source_path,
  pages = excluded.pages, ticket = excluded.ticket, content_hash = excluded.content_hash, chunk_count = excluded.chunk_count,
  status = excluded.status, last_error = excluded.last_error, updated_at = excluded.updated_at, redactions = excluded.redactions`;

const key = (collection: string, id: string): string => `${collection}\u0000${id}`;

/**
 * Writes documents inside the caller's write transaction with a fixed number of statements per batch (upsert the
 * records, read their stored chunks, delete removed chunks, update kept ones, insert new ones), instead of that many
 * per document: round trips, not rows, were the cost of small documents. A document named twice starts a new
 * run, so each run's statements see the previous run's writes, as one-document-at-a-time writes would.
 */
export async function writeDocuments(client: pg.PoolClient, writes: readonly PgDocumentWrite[]): Promise<ReplaceResult[]> {
  const results: ReplaceResult[] = [];
  let run: PgDocumentWrite[] = [];
  const seen = new Set<string>();
  for (const w of writes) {
    const k = key(w.doc.collection, w.doc.id);
    if (seen.has(k)) { results.push(...await writeRun(client, run)); run = []; seen.clear(); }
    seen.add(k);
    run.push(w);
  }
  results.push(...await writeRun(client, run));
  return results;
}

async function writeRun(client: pg.PoolClient, run: readonly PgDocumentWrite[]): Promise<ReplaceResult[]> {
  if (run.length === 0) return [];
  const docs = run.map((w) => w.doc);
  const col = <T>(f: (d: DocumentRecord) => T): T[] => docs.map(f);
  await client.query(UPSERT_MANY, [col((d) => d.id), col((d) => d.title), col((d) => d.collection), col((d) => d.sourceType), col((d) => d.format),
    col((d) => d.product ?? null), col((d) => d.language ?? null), col((d) => d.url ?? null), col((d) => d.sourcePath ?? null),
    col((d) => d.pages ?? null), col((d) => (d.ticket ? JSON.stringify(d.ticket) : null)), col((d) => d.contentHash),
    run.map((w) => w.unique.length), col((d) => d.redactions ?? null), new Date().toISOString()]);
  const { rows } = await client.query<PgExistingRow>(`SELECT c.label, c.id, c.collection, c.document_id, c.content_hash, c.vector, c.title_tokens,
      c.body_tokens FROM chunks c JOIN unnest($1::text[], $2::text[]) AS d (collection, id) ON c.collection = d.collection AND c.document_id = d.id
    ORDER BY c.label`, [col((d) => d.collection), col((d) => d.id)]);
  const stored = new Map<string, PgExistingRow[]>();
  for (const r of rows) {
    const k = key(r.collection, r.document_id);
    const list = stored.get(k);
    if (list) list.push(r); else stored.set(k, [r]);
  }
  const removed: string[] = [];
  const added: ChunkInput[] = [];
  const kept: Array<{ row: PgExistingRow; input: ChunkInput }> = [];
  const results = run.map(({ doc, unique }): ReplaceResult => {
    const existing = stored.get(key(doc.collection, doc.id)) ?? [];
    const byHash = new Map(existing.map((r) => [r.content_hash, r]));
    const wanted = new Set(unique.map((c) => c.chunk.contentHash));
    const gone = existing.filter((r) => !wanted.has(r.content_hash));
    removed.push(...gone.map((r) => r.label));
    let fresh = 0;
    for (const input of unique) {
      const row = byHash.get(input.chunk.contentHash);
      if (row) kept.push({ row, input }); else { added.push(input); fresh++; }
    }
    return { added: fresh, removed: gone.length, kept: unique.length - fresh };
  });
  if (removed.length > 0) await client.query("DELETE FROM chunks WHERE label = ANY($1::bigint[])", [removed]);
  await updateKept(client, kept);
  await insertChunks(client, added);
  return results;
}
