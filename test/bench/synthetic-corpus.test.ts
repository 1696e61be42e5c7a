import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SyntheticCorpus, estimateChunks } from "../../scripts/bench/synthetic-corpus.js";
import { loadVocabulary, uniqueWords } from "../../scripts/bench/vocabulary.js";
import { ZipfSampler, mulberry32 } from "../../scripts/bench/zipf.js";

/** A made-up vocabulary large enough for Zipf statistics: "wa", "wb", ... plus suffixes. */
function vocabulary(n: number): string[] {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  return Array.from({ length: n }, (_, i) => `w${letters[i % 26]}${letters[Math.floor(i / 26) % 26]}${letters[Math.floor(i / 676) % 26]}`);
}

describe("SyntheticCorpus", () => {
  const words = vocabulary(5000);

  it("generates the same documents and questions for the same seed", () => {
    const a = new SyntheticCorpus({ seed: 7, vocabulary: words });
    const b = new SyntheticCorpus({ seed: 7, vocabulary: words });
    expect(b.document(3).markdown).toBe(a.document(3).markdown);
    expect(b.questions(20, 10)).toEqual(a.questions(20, 10));
  });

  it("generates different text for another seed or another index", () => {
    const a = new SyntheticCorpus({ seed: 7, vocabulary: words });
    const c = new SyntheticCorpus({ seed: 8, vocabulary: words });
    expect(c.document(3).markdown).not.toBe(a.document(3).markdown);
    expect(a.document(4).markdown).not.toBe(a.document(3).markdown);
  });

  it("makes a document independent of the ones before it (sizes are prefixes)", () => {
    const a = new SyntheticCorpus({ seed: 1, vocabulary: words });
    const later = a.document(50).markdown;
    for (let i = 0; i < 50; i++) a.document(i);
    expect(new SyntheticCorpus({ seed: 1, vocabulary: words }).document(50).markdown).toBe(later);
    expect(a.document(50).markdown).toBe(later);
  });

  it("shapes documents like support manuals: headings, numbered steps, error codes, menu paths", () => {
    const corpus = new SyntheticCorpus({ seed: 3, vocabulary: words });
    const text = Array.from({ length: 30 }, (_, i) => corpus.document(i).markdown).join("\n");
    expect(text).toMatch(/^---\nproduct: .+\nlanguage: en\n---\n\n# .+ Guide$/m);
    expect(text).toMatch(/^## \S+/m);
    expect(text).toMatch(/^1\. \S+/m);
    expect(text).toMatch(/\bE-\d{3}\b/);
    expect(text).toMatch(/\b(?:Settings|Account|Devices|Network|Diagnostics|Security|Automations|Support) > [A-Z]\w+/);
  });

  it("follows a Zipf-like word distribution: frequency falls with rank, roughly as a power law", () => {
    const corpus = new SyntheticCorpus({ seed: 5, vocabulary: words, topicShare: 0 });
    const counts = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      for (const w of corpus.document(i).markdown.toLowerCase().match(/\bw[a-z]{3}\b/g) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
    const freq = (rank: number): number => counts.get(corpus.wordAtRank(rank)) ?? 0;
    expect(freq(0)).toBeGreaterThan(freq(50));
    expect(freq(50)).toBeGreaterThan(freq(1000));
    // With exponent ~1 and offset 40, rank 0 vs rank 200 differ by about (241/41)^1.05 ≈ 6.4.
    const ratio = (freq(0) + freq(1) + freq(2)) / Math.max(1, freq(200) + freq(201) + freq(202));
    expect(ratio).toBeGreaterThan(3);
    expect(ratio).toBeLessThan(15);
  });

  it("makes distinct questions about the given documents", () => {
    const corpus = new SyntheticCorpus({ seed: 9, vocabulary: words });
    const qs = corpus.questions(300, 100);
    expect(qs.length).toBe(300);
    expect(new Set(qs).size).toBe(300);
    expect(qs.every((q) => q.endsWith("?"))).toBe(true);
  });

  it("estimates at least one chunk per section", () => {
    const doc = new SyntheticCorpus({ seed: 2, vocabulary: words }).document(0);
    expect(estimateChunks(doc, 300, 45)).toBeGreaterThanOrEqual(doc.sections.length);
  });

  it("rejects a vocabulary too small to be Zipf-distributed", () => {
    expect(() => new SyntheticCorpus({ seed: 1, vocabulary: ["one", "two"] })).toThrow(/vocabulary too small/);
  });
});

describe("ZipfSampler", () => {
  it("draws rank r about (r+1)^-s as often as rank 0", () => {
    const zipf = new ZipfSampler(1000, 1);
    const rng = mulberry32(11);
    const hist = new Array<number>(1000).fill(0);
    for (let i = 0; i < 200_000; i++) hist[zipf.sample(rng)]! += 1;
    expect(hist[0]! / hist[1]!).toBeCloseTo(2, 0);
    expect(hist[0]! / hist[9]!).toBeGreaterThan(7);
    expect(hist[0]! / hist[9]!).toBeLessThan(13);
  });
});

describe("loadVocabulary", () => {
  it("falls back to the corpora's words, with an install hint, when the word list is missing", () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-vocab-"));
    try {
      mkdirSync(join(dir, "manual"));
      writeFileSync(join(dir, "manual", "a.md"), "# Reset\n\nPress the Reset button; the LED blinks amber.");
      const v = loadVocabulary(dir, join(dir, "no-such-words-file"));
      expect(v.note).toMatch(/apt-get install wamerican/);
      expect(v.words).toEqual(expect.arrayContaining(["reset", "press", "button", "amber"]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps only plain lower-case words, sorted and unique", () => {
    expect(uniqueWords(["zeta", "Alpha", "beta", "beta", "it's", "x", "café"])).toEqual(["beta", "zeta"]);
  });
});
