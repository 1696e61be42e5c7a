/**
 * A memo of a pure function of a string key, holding at most `capacity` entries and dropping the least recently
 * used first. For work that recurs across requests (a popular chunk's sentences are split again for every answer
 * citing it); owned by a long-lived object (a composer, an engine), never by a module.
 */
export class BoundedMemo<V> {
  private readonly entries = new Map<string, V>();

  constructor(readonly capacity: number) {}

  /** The value for `key`, computed by `compute` on a miss. */
  get(key: string, compute: () => V): V {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      // Re-inserted: a Map iterates in insertion order, so the first entry is always the least recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const value = compute();
    if (this.capacity <= 0) return value;
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, value);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
