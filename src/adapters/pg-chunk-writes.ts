import type pg from "pg";
import type { ChunkInput } from "../ports/document-repository.js";
import { DROP_POSTINGS } from "./pg-store-migration-v4.js";
import { sameVector, vectorToBuffer } from "./vector-codec.js";

// Chunk row writes of PgDocumentStore, always called inside its write transactions (under the write lock); the
// statement triggers of pg-store-migration-v4.ts (v5's bodies) log inserts and deletes and keep collection_stats; the postings'
// chunk frequencies (term_stats) are kept here, beside the postings.

/** A stored chunk of the document being replaced. */
export interface PgExistingRow {
  label: string;
  id: string;
  collection: string;
  document_id: string;
  content_hash: string;
  vector: Buffer;
  title_tokens: string[];
  body_tokens: string[];
}

/** Term frequencies of one chunk's two fields. */
function termCounts(titleTokens: readonly string[], bodyTokens: readonly string[]): Map<string, { title: number; body: number }> {
  const counts = new Map<string, { title: number; body: number }>();
  const at = (t: string): { title: number; body: number } => {
    let c = counts.get(t);
    if (!c) { c = { title: 0, body: 0 }; counts.set(t, c); }
    return c;
  };
  for (const t of titleTokens) at(t).title++;
  for (const t of bodyTokens) at(t).body++;
  return counts;
}

/**
 * Writes the postings of chunks (by label) and adds them to the terms' chunk frequencies, in one statement (one
 * round trip per batch, however many documents it holds).
 */
async function insertPostings(client: pg.PoolClient, items: ReadonlyArray<{ label: string; collection: string; input: ChunkInput }>): Promise<void> {
  const labels: string[] = [];
  const terms: string[] = [];
  const collections: string[] = [];
  const titleTf: number[] = [];
  const bodyTf: number[] = [];
  const lengths: number[] = [];
  for (const { label, collection, input } of items) {
    const length = input.titleTokens.length + input.bodyTokens.length;
    for (const [term, c] of termCounts(input.titleTokens, input.bodyTokens)) {
      labels.push(label); terms.push(term); collections.push(collection); titleTf.push(c.title); bodyTf.push(c.body); lengths.push(length);
    }
  }
  if (labels.length === 0) return;
  await client.query(`WITH added AS (INSERT INTO postings (label, term, collection, title_tf, body_tf, length)
      SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::int[], $6::int[]) RETURNING term, collection)
    INSERT INTO term_stats AS s (term, collection, df) SELECT term, collection, count(*) FROM added GROUP BY term, collection
    ON CONFLICT (term, collection) DO UPDATE SET df = s.df + excluded.df`, [labels, terms, collections, titleTf, bodyTf, lengths]);
}

/** Removes the postings of stored chunks (their distinct stored terms name them) and their chunk frequencies. */
async function deletePostings(client: pg.PoolClient, rows: readonly PgExistingRow[]): Promise<void> {
  const terms: string[] = [];
  const collections: string[] = [];
  const labels: string[] = [];
  for (const row of rows) {
    for (const term of new Set([...row.title_tokens, ...row.body_tokens])) { terms.push(term); collections.push(row.collection); labels.push(row.label); }
  }
  if (terms.length > 0) await client.query(DROP_POSTINGS, [terms, collections, labels]);
}

/** Inserts new chunks of any documents (one statement, in input order) and their postings. */
export async function insertChunks(client: pg.PoolClient, inputs: readonly ChunkInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const col = <T>(f: (i: ChunkInput) => T): T[] => inputs.map(f);
  const { rows } = await client.query<{ label: string; id: string }>(`INSERT INTO chunks (id, collection, document_id, title, section_path,
      page_start, page_end, page_label, block_kind, position, text, content_hash, token_count, source_type, product, language, url, vector,
      title_tokens, body_tokens, length)
    SELECT u.id, u.collection, u.document_id, u.title, u.section_path, u.page_start, u.page_end, u.page_label, u.block_kind, u.position, u.text,
      u.content_hash, u.token_count, u.source_type, u.product, u.language, u.url, u.vector,
      ARRAY(SELECT jsonb_array_elements_text(u.title_tokens)), ARRAY(SELECT jsonb_array_elements_text(u.body_tokens)), u.length
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::text[], $9::text[], $10::int[], $11::text[],
      $12::text[], $13::int[], $14::text[], $15::text[], $16::text[], $17::text[], $18::bytea[], $19::jsonb[], $20::jsonb[], $21::int[])
      WITH ORDINALITY AS u (id, collection, document_id, title, section_path, page_start, page_end, page_label, block_kind, position, text,
        content_hash, token_count, source_type, product, language, url, vector, title_tokens, body_tokens, length, n)
    ORDER BY u.n
    RETURNING label, id`, [
    col((i) => i.chunk.id), col((i) => i.chunk.collection), col((i) => i.chunk.documentId), col((i) => i.chunk.title),
    col((i) => JSON.stringify(i.chunk.sectionPath)),
    col((i) => i.chunk.pageStart ?? null), col((i) => i.chunk.pageEnd ?? null), col((i) => i.chunk.pageLabel ?? null),
    col((i) => i.chunk.blockKind ?? null), col((i) => i.chunk.position), col((i) => i.chunk.text), col((i) => i.chunk.contentHash),
    col((i) => i.chunk.tokenCount), col((i) => i.chunk.sourceType), col((i) => i.chunk.product ?? null), col((i) => i.chunk.language ?? null),
    col((i) => i.chunk.url ?? null), col((i) => vectorToBuffer(i.vector)), col((i) => JSON.stringify(i.titleTokens)),
    col((i) => JSON.stringify(i.bodyTokens)), col((i) => i.titleTokens.length + i.bodyTokens.length),
  ]);
  const labels = new Map(rows.map((r) => [r.id, r.label]));
  await insertPostings(client, inputs.map((input) => ({ label: labels.get(input.chunk.id)!, collection: input.chunk.collection, input })));
}

const sameTokens = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((t, i) => t === b[i]);

/**
 * Updates kept chunks' metadata in one statement; their postings only where the terms changed, their vectors (logged
 * as another "add") only where the vector changed.
 */
export async function updateKept(client: pg.PoolClient, kept: ReadonlyArray<{ row: PgExistingRow; input: ChunkInput }>): Promise<void> {
  if (kept.length === 0) return;
  const col = <T>(f: (k: { row: PgExistingRow; input: ChunkInput }) => T): T[] => kept.map(f);
  await client.query(`UPDATE chunks AS c SET id = u.id, title = u.title, section_path = u.section_path, page_start = u.page_start,
      page_end = u.page_end, page_label = u.page_label, block_kind = u.block_kind, position = u.position, text = u.text,
      token_count = u.token_count, source_type = u.source_type, product = u.product, language = u.language, url = u.url,
      title_tokens = ARRAY(SELECT jsonb_array_elements_text(u.title_tokens)), body_tokens = ARRAY(SELECT jsonb_array_elements_text(u.body_tokens)),
      length = u.length
    FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::text[], $8::text[], $9::int[], $10::text[],
      $11::int[], $12::text[], $13::text[], $14::text[], $15::text[], $16::jsonb[], $17::jsonb[], $18::int[])
      AS u (label, id, title, section_path, page_start, page_end, page_label, block_kind, position, text, token_count, source_type, product,
        language, url, title_tokens, body_tokens, length)
    WHERE c.label = u.label`, [
    col((k) => k.row.label), col((k) => k.input.chunk.id), col((k) => k.input.chunk.title), col((k) => JSON.stringify(k.input.chunk.sectionPath)),
    col((k) => k.input.chunk.pageStart ?? null), col((k) => k.input.chunk.pageEnd ?? null), col((k) => k.input.chunk.pageLabel ?? null),
    col((k) => k.input.chunk.blockKind ?? null), col((k) => k.input.chunk.position), col((k) => k.input.chunk.text),
    col((k) => k.input.chunk.tokenCount), col((k) => k.input.chunk.sourceType), col((k) => k.input.chunk.product ?? null),
    col((k) => k.input.chunk.language ?? null), col((k) => k.input.chunk.url ?? null), col((k) => JSON.stringify(k.input.titleTokens)),
    col((k) => JSON.stringify(k.input.bodyTokens)), col((k) => k.input.titleTokens.length + k.input.bodyTokens.length),
  ]);
  const retermed = kept.filter(({ row, input }) => !sameTokens(row.title_tokens, input.titleTokens) || !sameTokens(row.body_tokens, input.bodyTokens));
  if (retermed.length > 0) {
    await deletePostings(client, retermed.map((k) => k.row));
    await insertPostings(client, retermed.map(({ row, input }) => ({ label: row.label, collection: input.chunk.collection, input })));
  }
  for (const { row, input } of kept) if (!sameVector(row.vector, input.vector)) await writeVector(client, row.id, input.vector);
}

/** Replaces a chunk's vector and logs it again as an "add" (an upsert for followers). False if the chunk does not exist. */
export async function writeVector(client: pg.PoolClient, chunkId: string, vector: Float32Array): Promise<boolean> {
  const { rowCount } = await client.query("UPDATE chunks SET vector = $1 WHERE id = $2", [vectorToBuffer(vector), chunkId]);
  if (!rowCount) return false;
  await client.query("INSERT INTO changes (op, chunk_id) VALUES ('add', $1)", [chunkId]);
  return true;
}
