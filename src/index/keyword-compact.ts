import type { KeywordStore } from "./keyword-store.js";

/**
 * Drops `store`'s tombstoned slots and renumbers the live ones in order: posting lists stay sorted, scores unchanged.
 * {@link KeywordStore.compact}, apart because it rewrites every per-slot array and posting list at once.
 */
export function compactSlots(store: KeywordStore): void {
  if (store.dead === 0) return;
  const remap = new Int32Array(store.slots);
  let live = 0;
  let fwdOut = 0;
  store.seqs.compact(store.alive, store.slots);
  for (let s = 0; s < store.slots; s++) {
    if (store.alive[s] === 0) { remap[s] = -1; continue; }
    remap[s] = live;
    const from = store.fwdStart[s]!;
    const to = store.fwdStart[s + 1]!;
    store.fwdStart[live] = fwdOut;
    store.fwd.copyWithin(fwdOut, from, to);
    fwdOut += to - from;
    moveSlot(store, s, live);
    live++;
  }
  store.fwdStart[live] = fwdOut;
  for (let t = 0; t < store.postSlots.length; t++) {
    const slots = store.slotsOf(t);
    const tf = store.tfsOf(t);
    let out = 0;
    for (let i = 0; i < store.postLen[t]!; i++) {
      const to = remap[slots[i]!]!;
      if (to < 0) continue;
      slots[out] = to;
      tf[out++] = tf[i]!;
    }
    store.postLen[t] = out;
  }
  store.alive.fill(0, live, store.slots);
  store.chunkIds.length = live;
  store.slots = live;
  store.dead = 0;
}

/** Moves slot `from`'s key and metadata down to slot `to` (its terms are moved by the caller). */
function moveSlot(store: KeywordStore, from: number, to: number): void {
  if (from === to) return;
  const id = store.chunkIds[from]!;
  store.chunkIds[to] = id;
  store.slotOf.set(id, to);
  store.alive[to] = 1;
  for (const a of [store.collection, store.product, store.language, store.document, store.titleLen, store.bodyLen]) a[to] = a[from]!;
  store.sourceType[to] = store.sourceType[from]!;
}
