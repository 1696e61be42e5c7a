import type { ChunkTerms } from "../domain/chunk.js";
import type { KeywordStore } from "./keyword-store.js";

/**
 * A chunk's `ChunkTerms` rebuilt from the keyword store's own arrays (its term sequence as indexes into its unique
 * terms, the interned strings, its position and section path): what `DocumentRepository.getChunkTerms` returns for
 * it, with the same keys in the same order, and no store read. Undefined for an unknown key, a doc indexed without
 * position and section path, or a sequence that does not decode (then the caller reads the store).
 */
export function chunkTermsInMemory(store: KeywordStore, chunkId: string): ChunkTerms | undefined {
  const slot = store.slotOf.get(chunkId);
  if (slot === undefined || store.seqs.position[slot]! < 0) return undefined;
  const fwdFrom = store.fwdStart[slot]!;
  const unique = store.fwdStart[slot + 1]! - fwdFrom;
  const { fwd } = store;
  const { termSeq: seq, termSeqStart } = store.seqs;
  const values = store.terms.values;
  const titleLen = store.titleLen[slot]!;
  const total = titleLen + store.bodyLen[slot]!;
  const end = termSeqStart[slot + 1]!;
  let at = termSeqStart[slot]!;
  // Filled by push, not preallocated: packed arrays, like the store's `split`, keep re-ranking's loops on V8's fast path.
  const titleTokens: string[] = [];
  const bodyTokens: string[] = [];
  for (let i = 0; i < total; i++) {
    let v = 0;
    let shift = 0;
    let b: number;
    do {
      if (at >= end) return undefined;
      b = seq[at++]!;
      v |= (b & 0x7f) << shift;
      shift += 7;
    } while (b >= 0x80 && shift < 28);
    if (b >= 0x80 || v >= unique) return undefined;
    (i < titleLen ? titleTokens : bodyTokens).push(values[fwd[fwdFrom + v]!]!);
  }
  if (at !== end) return undefined;
  const language = store.language[slot]!;
  const sectionPath = sectionPathOf(store, slot);
  if (!sectionPath) return undefined;
  return {
    chunkId, documentId: store.documents.values[store.document[slot]!]!, sectionPath,
    position: store.seqs.position[slot]!, titleTokens, bodyTokens, ...(language >= 0 ? { language: store.languages.values[language]! } : {}),
  };
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The slot's section path: its JSON read straight from the bytes when ASCII (most are; no decoder call), else
 * decoded; undefined when the bytes are not a JSON array (a damaged snapshot: the caller reads the store).
 */
function sectionPathOf(store: KeywordStore, slot: number): string[] | undefined {
  const { sectionPathBytes: bytes, sectionPathAt, sectionPathLen } = store.seqs;
  const at = sectionPathAt[slot]!;
  const end = at + sectionPathLen[slot]!;
  let json = "";
  for (let i = at; i < end; i++) {
    const b = bytes[i]!;
    if (b >= 0x80) {
      json = "";
      break;
    }
    json += String.fromCharCode(b);
  }
  try {
    const path: unknown = JSON.parse(json.length === end - at ? json : UTF8.decode(bytes.subarray(at, end)));
    return Array.isArray(path) ? (path as string[]) : undefined;
  } catch {
    return undefined;
  }
}
