// Named statement parameters of the PostgreSQL keyword index: numbered in order of first use, filter after them.
import { describe, expect, it } from "vitest";
import { numbered, roundSql } from "../../src/adapters/pg-bm25-sql.js";

describe("numbered statement parameters", () => {
  const template = "SELECT $b::int + $a::int + $b::int, $ab::text FROM postings p /*join*/ WHERE true/*filter*/";

  it("numbers names in order of first use, a repeated name keeping its number, and puts the values in that order", () => {
    expect(numbered(template, { a: 1, b: 2, ab: "x", unused: 9 }, undefined)).toEqual({
      text: "SELECT $1::int + $2::int + $1::int, $3::text FROM postings p  WHERE true",
      values: [2, 1, "x"],
    });
  });

  it("numbers the filter's clauses after the names and joins chunks only when there are any", () => {
    const { text, values } = numbered(template, { a: 1, b: 2, ab: "x" }, { products: ["tv"], languages: [] });
    expect(text).toBe("SELECT $1::int + $2::int + $1::int, $3::text FROM postings p JOIN chunks c ON c.label = p.label WHERE true AND c.product = ANY($4::text[])");
    expect(values).toEqual([2, 1, "x", ["tv"]]);
  });

  it("refuses a name without a value", () => {
    expect(() => numbered(template, { a: 1, b: 2 }, undefined)).toThrow(/\$ab/);
  });

  it("leaves no name unnumbered in the round statements", () => {
    const all = { terms: [], idf: [], wt: 2, wb: 1, avgdl: 1, scope: null, rest: [], restIdf: [], first: 1, k: 1, bound: 0, done: [], doneScores: [], most: 4,
      checkTerms: [], checkDf: [], checkN: 0, checkTokens: 0 };
    for (const rest of [false, true]) {
      for (const checked of [false, true]) expect(numbered(roundSql(rest, checked), all, undefined).text).not.toMatch(/\$[a-z]/);
    }
  });
});
