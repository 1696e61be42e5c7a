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

  it("takes the larger of the unseen shares over all terms and over the question's names", () => {
    // "What's the right way to install Zorbl Engine on Debian?" to a manual that never names Zorbl.
    const counts = (t: string): number => ({ engin: 4, right: 26, instal: 400, debian: 900, firmwar: 3 })[t] ?? 0;
    const many = ["zorbl", "engin", "right", "instal", "debian", "firmwar"];
    const withoutNames = queryEvidence(many, counts, 5000).unseen;
    const names = queryEvidence(many, counts, 5000, ["zorbl", "engin", "debian"]).unseen;
    expect(names).toBeCloseTo(idfOf(0, 5000) / (idfOf(0, 5000) + idfOf(4, 5000) + idfOf(900, 5000)), 9);
    expect(names).toBeGreaterThan(withoutNames);
    // Names the documents hold change nothing; a name that is not a search term is not counted.
    expect(queryEvidence(many, counts, 5000, ["debian", "firmwar"]).unseen).toBe(withoutNames);
    expect(queryEvidence(["instal", "debian"], counts, 5000, ["qwerti"]).unseen).toBe(0);
  });

  it("is neutral without terms", () => {
    expect(queryEvidence([], df, 10)).toEqual({ unseen: 0 });
  });
});
