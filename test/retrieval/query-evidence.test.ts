import { describe, expect, it } from "vitest";
import { queryEvidence } from "../../src/retrieval/query-evidence.js";

const UNSEEN = 5;

describe("query evidence", () => {
  const idf = new Map([["steam", UNSEEN], ["instal", 0.5], ["debian", 0.2], ["firmwar", 3]]);
  const top = [{ titleTokens: ["instal"], bodyTokens: ["debian", "firmwar"] }];

  it("reports the IDF-weighted share of terms no chunk holds, and the rarest term missing from the results", () => {
    const e = queryEvidence(["steam", "instal", "debian"], idf, UNSEEN, top);
    expect(e.unseen).toBeCloseTo(5 / 5.7, 9);
    expect(e.missing).toBe(1);
  });

  it("gives nothing against a question whose terms the results hold", () => {
    expect(queryEvidence(["instal", "firmwar", "firmwar"], idf, UNSEEN, top)).toEqual({ unseen: 0, missing: 0 });
  });

  it("scales a seen but absent term by its IDF relative to an unseen term", () => {
    expect(queryEvidence(["instal", "firmwar"], idf, UNSEEN, [{ titleTokens: [], bodyTokens: ["instal"] }]).missing).toBeCloseTo(0.6, 9);
  });

  it("is neutral without terms or corpus", () => {
    expect(queryEvidence([], idf, UNSEEN, top)).toEqual({ unseen: 0, missing: 0 });
    expect(queryEvidence(["steam"], idf, 0, top)).toEqual({ unseen: 0, missing: 0 });
  });
});
