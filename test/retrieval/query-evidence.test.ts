import { describe, expect, it } from "vitest";
import { idfOf } from "../../src/retrieval/idf.js";
import { queryEvidence } from "../../src/retrieval/query-evidence.js";

const df = (t: string): number => ({ instal: 400, debian: 900, firmwar: 3 })[t] ?? 0;

describe("query evidence", () => {
  it("reports the IDF-weighted share of distinct question terms no chunk holds", () => {
    const e = queryEvidence(["steam", "instal", "debian"], df, 5000);
    const unseen = idfOf(0, 5000);
    expect(e.unseen).toBeCloseTo(unseen / (unseen + idfOf(400, 5000) + idfOf(900, 5000)), 9);
    expect(e.unseen).toBeGreaterThan(0.5);
    expect(queryEvidence(["instal", "firmwar", "firmwar"], df, 5000).unseen).toBe(0);
  });

  it("does not let one missing everyday word dominate in a tiny collection", () => {
    const tiny = (t: string): number => (t === "often" ? 0 : 1);
    expect(queryEvidence(["often", "zorp", "flux", "capacitor", "recharg"], tiny, 1).unseen).toBeLessThan(0.25);
  });

  it("is neutral without terms", () => {
    expect(queryEvidence([], df, 10)).toEqual({ unseen: 0 });
  });
});
