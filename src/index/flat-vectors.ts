import { isConstraining, matchesChunkFilter, type ChunkFilter, type FilterFields } from "../domain/chunk.js";
import { InvalidInputError } from "../errors.js";
import { compareHits, type VectorEntry, type VectorHit } from "../ports/vector-index.js";

/** One buffered vector's key and filter fields, with the change-log position that added it. */
interface Row extends FilterFields {
  chunkId: string;
  seq: number;
}

/**
 * Vectors searched exactly (brute force) beside an HNSW graph: the few thousand chunks a serving process read from
 * the change log after the graph snapshot it loaded. Rows are L2-normalised into one Float32Array (cosine = dot,
 * as hnswlib's cosine space stores them), so a search is one pass over contiguous memory with no per-vector objects;
 * a delete moves the last row into the freed one. Each row keeps the change-log position that added it, so rows a
 * newer snapshot covers can be dropped when it is swapped in.
 */
export class FlatVectorBuffer {
  private data: Float32Array;
  private readonly rows: Row[] = [];
  private readonly rowOf = new Map<string, number>();

  constructor(readonly dimensions: number, initialRows = 256) {
    this.data = new Float32Array(dimensions * Math.max(1, initialRows));
  }

  get size(): number {
    return this.rows.length;
  }

  has(chunkId: string): boolean {
    return this.rowOf.has(chunkId);
  }

  /** Adds (or replaces) vectors logged at change-log position `seq`. */
  add(items: readonly VectorEntry[], seq: number): void {
    for (const { chunkId, vector, ...fields } of items) {
      if (vector.length !== this.dimensions) throw new InvalidInputError(`vector for chunk ${chunkId} has ${vector.length} dimensions, expected ${this.dimensions}`);
      let row = this.rowOf.get(chunkId);
      if (row === undefined) {
        row = this.rows.length;
        this.grow(row + 1);
        this.rowOf.set(chunkId, row);
        this.rows.push({ chunkId, seq, ...fields });
      } else {
        this.rows[row] = { chunkId, seq, ...fields };
      }
      writeNormalised(vector, this.data, row * this.dimensions);
    }
  }

  /** Removes chunk keys; unknown keys are ignored. */
  delete(chunkIds: readonly string[]): void {
    for (const chunkId of chunkIds) {
      const row = this.rowOf.get(chunkId);
      if (row === undefined) continue;
      this.rowOf.delete(chunkId);
      const last = this.rows.length - 1;
      if (row !== last) {
        const moved = this.rows[last]!;
        this.rows[row] = moved;
        this.rowOf.set(moved.chunkId, row);
        this.data.copyWithin(row * this.dimensions, last * this.dimensions, (last + 1) * this.dimensions);
      }
      this.rows.pop();
    }
  }

  /** Drops the rows logged at or before `seq` (a graph snapshot taken at `seq` holds them). */
  dropThrough(seq: number): void {
    this.delete(this.rows.filter((r) => r.seq <= seq).map((r) => r.chunkId));
  }

  /** Drops every row. */
  clear(): void {
    this.rows.length = 0;
    this.rowOf.clear();
  }

  /** Keys of rows logged after `seq`. */
  keysAfter(seq: number): string[] {
    return this.rows.filter((r) => r.seq > seq).map((r) => r.chunkId);
  }

  /** Every buffered chunk key. */
  keys(): string[] {
    return this.rows.map((r) => r.chunkId);
  }

  /** Every row as an entry (with its vector, normalised), e.g. to insert the buffer into a graph. */
  entries(): VectorEntry[] {
    const d = this.dimensions;
    return this.rows.map(({ seq: _seq, ...row }, i) => ({ ...row, vector: this.data.slice(i * d, (i + 1) * d) }));
  }

  /** Exact top-k by cosine similarity among the rows `filter` keeps, best first (ties by chunk key). */
  search(query: Float32Array, k: number, filter?: ChunkFilter): VectorHit[] {
    if (query.length !== this.dimensions) throw new InvalidInputError(`query has ${query.length} dimensions, expected ${this.dimensions}`);
    const n = Math.floor(k);
    if (n <= 0 || this.rows.length === 0) return [];
    const q = new Float32Array(this.dimensions);
    writeNormalised(query, q, 0);
    const constrained = isConstraining(filter);
    // The best n so far, kept sorted: a few dozen entries, so most rows cost one comparison with the worst.
    const hits: VectorHit[] = [];
    const d = this.dimensions;
    const data = this.data;
    for (let r = 0; r < this.rows.length; r++) {
      const row = this.rows[r]!;
      if (constrained && !matchesChunkFilter(row, filter!)) continue;
      const dot = dotAt(data, r * d, q);
      const hit = { chunkId: row.chunkId, similarity: dot };
      if (hits.length === n && compareHits(hit, hits[n - 1]!) >= 0) continue;
      let at = hits.length;
      while (at > 0 && compareHits(hit, hits[at - 1]!) < 0) at--;
      hits.splice(at, 0, hit);
      if (hits.length > n) hits.pop();
    }
    return hits;
  }

  private grow(rows: number): void {
    if (rows * this.dimensions <= this.data.length) return;
    const next = new Float32Array(Math.max(rows * this.dimensions, this.data.length * 2));
    next.set(this.data);
    this.data = next;
  }
}

/** Dot product of `q` with the row at `offset`: four accumulators, so the multiply-adds do not wait on each other. */
function dotAt(data: Float32Array, offset: number, q: Float32Array): number {
  const d = q.length;
  let a = 0, b = 0, c = 0, e = 0;
  let i = 0;
  for (; i + 3 < d; i += 4) {
    const o = offset + i;
    a += data[o]! * q[i]!;
    b += data[o + 1]! * q[i + 1]!;
    c += data[o + 2]! * q[i + 2]!;
    e += data[o + 3]! * q[i + 3]!;
  }
  for (; i < d; i++) a += data[offset + i]! * q[i]!;
  return a + b + c + e;
}

function writeNormalised(vector: Float32Array, into: Float32Array, offset: number): void {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i]! * vector[i]!;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < vector.length; i++) into[offset + i] = vector[i]! * scale;
}
