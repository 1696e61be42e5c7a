import type { IndexSync } from "../ports/index-sync.js";

/**
 * Several serving indexes (HNSW, in-memory keyword index) driven as one: each follows the change log on its own, so
 * a catch-up runs them in turn; the combined position is the furthest-behind one's.
 */
export function combineIndexSync(parts: readonly IndexSync[]): IndexSync {
  return {
    async catchUp(maxChanges?: number): Promise<number> {
      let most = 0;
      for (const p of parts) most = Math.max(most, await p.catchUp(maxChanges));
      return most;
    },
    async queueCatchUp(maxChanges?: number): Promise<number> {
      let most = 0;
      for (const p of parts) most = Math.max(most, await p.queueCatchUp(maxChanges));
      return most;
    },
    async saveIfDirty(threshold: number): Promise<void> {
      for (const p of parts) await p.saveIfDirty(threshold);
    },
    async save(): Promise<void> {
      for (const p of parts) await p.save();
    },
    async rebuild(): Promise<void> {
      for (const p of parts) await p.rebuild();
    },
    get position(): number {
      return Math.min(...parts.map((p) => p.position));
    },
    get dirty(): boolean {
      return parts.some((p) => p.dirty);
    },
  };
}
