import type { KeywordHit } from "../ports/keyword-index.js";

/**
 * The k best slots by score (ties: the smaller chunk key wins, so results do not depend on slot numbering), in a
 * bounded binary min-heap whose root is the worst kept hit.
 */
export class TopK {
  private readonly slots: Int32Array;
  private readonly scores: Float64Array;
  private n = 0;

  constructor(private readonly k: number, private readonly keys: ReadonlyArray<string | undefined>) {
    this.slots = new Int32Array(k);
    this.scores = new Float64Array(k);
  }

  offer(slot: number, score: number): void {
    if (this.n < this.k) {
      this.slots[this.n] = slot;
      this.scores[this.n] = score;
      this.up(this.n++);
    } else if (this.better(slot, score, this.slots[0]!, this.scores[0]!)) {
      this.slots[0] = slot;
      this.scores[0] = score;
      this.down(0);
    }
  }

  /** The kept hits, best first. */
  sorted(): KeywordHit[] {
    const out: Array<{ slot: number; score: number }> = [];
    for (let i = 0; i < this.n; i++) out.push({ slot: this.slots[i]!, score: this.scores[i]! });
    out.sort((a, b) => (this.better(a.slot, a.score, b.slot, b.score) ? -1 : 1));
    return out.map((h) => ({ chunkId: this.keys[h.slot]!, score: h.score }));
  }

  private better(sa: number, a: number, sb: number, b: number): boolean {
    return a > b || (a === b && this.keys[sa]! < this.keys[sb]!);
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.better(this.slots[p]!, this.scores[p]!, this.slots[i]!, this.scores[i]!)) break;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < this.n && this.better(this.slots[worst]!, this.scores[worst]!, this.slots[l]!, this.scores[l]!)) worst = l;
      if (r < this.n && this.better(this.slots[worst]!, this.scores[worst]!, this.slots[r]!, this.scores[r]!)) worst = r;
      if (worst === i) return;
      this.swap(i, worst);
      i = worst;
    }
  }

  private swap(i: number, j: number): void {
    const s = this.slots[i]!;
    this.slots[i] = this.slots[j]!;
    this.slots[j] = s;
    const x = this.scores[i]!;
    this.scores[i] = this.scores[j]!;
    this.scores[j] = x;
  }
}
