import { describe, expect, it } from "vitest";
import { fitConfidence, FITTED_FEATURE_KEYS, leaveOneOut, refusalRates, type ConfidenceSample } from "../../src/eval/fit-confidence.js";
import { FEATURE_KEYS, scaledSimilarity } from "../../src/retrieval/confidence.js";
import { balancedWeights, chooseL2, fitLogistic, fitStandardized, logLoss, predictLogistic, type LogisticSample } from "../../src/eval/logistic.js";
import { seededRandom } from "../../src/eval/metrics.js";

const ZERO = { coverage: 0, passage: 0, proximity: 0, similarity: 0, scaledSimilarity: 0, margin: 0, agreement: 0, unseen: 0, apart: 0 };

/** Answerable questions have high coverage, off-topic ones unseen terms; Chinese coverage runs lower. */
function samples(dataset: string, n: number, rand: () => number, language = "en"): ConfidenceSample[] {
  const out: ConfidenceSample[] = [];
  const shift = language === "zh" ? -0.2 : 0;
  for (let i = 0; i < n; i++) {
    out.push({ dataset, part: i % 2 ? "a.pdf" : "b.pdf", language, kind: "answerable", features: { ...ZERO, coverage: 0.6 + shift + 0.4 * rand(), unseen: 0.2 * rand() } });
    out.push({ dataset, part: "*", language, kind: "off-topic", features: { ...ZERO, coverage: 0.1 + shift + 0.4 * rand(), unseen: 0.3 + 0.7 * rand() } });
  }
  return out;
}

describe("fitting the confidence model", () => {
  it("fits a logistic model that separates the classes", () => {
    const rand = seededRandom(1);
    const data = Array.from({ length: 200 }, () => {
      const y = rand() < 0.5 ? 1 : 0;
      return { x: [y + rand() * 0.8], y: y as 0 | 1, weight: 1 };
    });
    const model = fitLogistic(data);
    expect(model.weights[0]).toBeGreaterThan(1);
    expect(predictLogistic(model, [1.5])).toBeGreaterThan(0.8);
    expect(predictLogistic(model, [-0.5])).toBeLessThan(0.2);
  });

  it("penalises standardised features: a feature's unit does not change the fitted probabilities", () => {
    const rand = seededRandom(7);
    const data: LogisticSample[] = Array.from({ length: 300 }, () => {
      const y = rand() < 0.5 ? 1 : 0;
      return { x: [0.1 * y + 0.12 * rand(), 0.5 * (1 - y) + 0.6 * rand()], y: y as 0 | 1, weight: 1 };
    });
    const tenfold = data.map((s) => ({ ...s, x: [s.x[0]! * 10, s.x[1]!] }));
    const a = fitStandardized(data, { l2: 0.1 });
    const b = fitStandardized(tenfold, { l2: 0.1 });
    expect(b.weights[0]! * 10).toBeCloseTo(a.weights[0]!, 6);
    for (const s of data.slice(0, 20)) expect(predictLogistic(b, [s.x[0]! * 10, s.x[1]!])).toBeCloseTo(predictLogistic(a, s.x), 6);
    // On raw features the same penalty shrinks the narrow feature's weight far more than in its tenfold unit.
    const raw = fitLogistic(data, { l2: 0.1 });
    const rawTenfold = fitLogistic(tenfold, { l2: 0.1 });
    expect(Math.abs(rawTenfold.weights[0]! * 10 - raw.weights[0]!)).toBeGreaterThan(1);
  });

  it("chooses the L2 strength by cross-validated log loss", () => {
    const rand = seededRandom(8);
    // Few samples, one informative feature and eight of noise: unpenalised, the fit chases the noise.
    const make = (n: number): LogisticSample[] => Array.from({ length: n }, () => {
      const y = rand() < 0.5 ? 1 : 0;
      return { x: [y + 1.5 * rand(), ...Array.from({ length: 8 }, () => rand())], y: y as 0 | 1, weight: 1 };
    });
    const small = make(24);
    const grid = [0, 0.01, 0.1, 1];
    const chosen = chooseL2(small, grid, 4, (i) => i % 4);
    expect(chosen).toBeGreaterThan(0);
    const test = make(2000);
    expect(logLoss(fitStandardized(small, { l2: chosen }), test)).toBeLessThan(logLoss(fitStandardized(small, { l2: 0 }), test));
    // With plenty of clean data the smallest penalty wins.
    const clean = Array.from({ length: 400 }, (_, i): LogisticSample => ({ x: [(i % 2) + 0.8 * rand()], y: (i % 2) as 0 | 1, weight: 1 }));
    expect(chooseL2(clean, [0, 0.3, 1], 4, (i) => i % 4)).toBe(0);
  });

  it("weighs every group the same whatever its size", () => {
    const w = balancedWeights(["a", "a", "a", "b"], (x) => x);
    expect(w[0]! * 3).toBeCloseTo(w[3]!, 9);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(4, 9);
  });

  it("learns positive coverage and negative unseen weights and a Chinese shift, and refuses off-topic questions", () => {
    const rand = seededRandom(3);
    const all = [...samples("en-set", 60, rand), ...samples("zh-set", 60, rand, "zh")];
    const model = fitConfidence(all, FEATURE_KEYS);
    expect(model.coverage).toBeGreaterThan(0);
    expect(model.unseen).toBeLessThan(0);
    expect(model.languageBias?.zh).toBeGreaterThan(0);
    const rates = refusalRates(model, all, 0.5);
    expect(rates.wrongRefusal).toBeLessThan(0.15);
    expect(rates.correctRefusal).toBeGreaterThan(0.85);
  });

  it("reports leave-one-dataset-out and leave-one-part-out rows", () => {
    const rand = seededRandom(4);
    const all = [...samples("one", 40, rand), ...samples("two", 40, rand)];
    const model = fitConfidence(all);
    expect(leaveOneOut(all, 0.5, model).map((r) => r.held)).toEqual(["one", "two"]);
    const parts = leaveOneOut(all, 0.5, model, "one");
    expect(parts.map((r) => r.held).sort()).toEqual(["a.pdf", "b.pdf"]);
    for (const r of parts) expect(r.inSample.unanswerable).toBe(40);
  });

  it("by default weighs only the features that do not depend on how questions are phrased", () => {
    const rand = seededRandom(5);
    const all = [...samples("one", 40, rand), ...samples("two", 40, rand)];
    const model = fitConfidence(all);
    for (const k of FEATURE_KEYS.filter((x) => !FITTED_FEATURE_KEYS.includes(x))) expect(model[k]).toBe(0);
    expect(model.unseen).toBeLessThan(0);
    // Off-topic questions here differ in unseen terms, so that alone still separates them.
    expect(refusalRates(model, all, 0.5).correctRefusal).toBeGreaterThan(0.7);
  });

  it("transfers from short questions to long ones: fitted without the long-question dataset, it still answers them", () => {
    // Both datasets hold the same evidence per question; the long questions' cosine is lower only because their
    // vector spreads over four times the terms (answerable 0.5 → 0.25, off-topic 0.2 → 0.1), as a hash embedding's does.
    const rand = seededRandom(6);
    const set = (dataset: string, terms: number): ConfidenceSample[] => {
      const out: ConfidenceSample[] = [];
      const scale = Math.sqrt(4 / terms);
      for (let i = 0; i < 60; i++) {
        for (const [kind, cos] of [["answerable", 0.4 + 0.2 * rand()], ["held-out", 0.1 + 0.2 * rand()]] as const) {
          const similarity = cos * scale;
          out.push({ dataset, part: "*", language: "en", kind, features: { ...ZERO, similarity, scaledSimilarity: scaledSimilarity(similarity, terms) } });
        }
      }
      return out;
    };
    const short = set("short", 4);
    const long = set("long", 16);
    const rates = refusalRates(fitConfidence(short), long, 0.5);
    expect(rates.wrongRefusal).toBeLessThan(0.1);
    expect(rates.correctRefusal).toBeGreaterThan(0.9);
  });
});
