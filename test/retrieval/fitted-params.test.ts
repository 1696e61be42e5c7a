import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { confidenceModelOf, fittedParamsFile, fittedParamsSchema, fusionWeightsOf, readFittedParams } from "../../src/retrieval/fitted-params.js";
import { packageRoot } from "../../src/package-root.js";
import { DEFAULT_RETRIEVAL_SETTINGS } from "../../src/retrieval/retrieve.js";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), "gl-fitted-"));
  dirs.push(d);
  return d;
}
const CONFIDENCE = { bias: -2, coverage: 1, passage: 1, proximity: 0, similarity: 0.5, margin: 1, agreement: 0, unseen: -3, languageBias: { zh: 0.2 } };
const params = (embedder: string) => ({ format: 1, embedder, pipeline: 4, fittedOn: ["a", "b"], command: "npm run fit", confidence: CONFIDENCE });

describe("fitted parameters", () => {
  it("loads the artifact of the embedder, and nothing when there is none", () => {
    const d = dir();
    writeFileSync(fittedParamsFile(d, "openai:text-embedding-3-small"), JSON.stringify(params("openai:text-embedding-3-small")));
    expect(fittedParamsFile(d, "openai:text-embedding-3-small")).toMatch(/openai_text-embedding-3-small\.json$/);
    // An artifact fitted before scaledSimilarity existed loads with weight 0 for it.
    expect(confidenceModelOf(readFittedParams(d, "openai:text-embedding-3-small")!)).toEqual({ ...CONFIDENCE, scaledSimilarity: 0 });
    expect(readFittedParams(d, "local-hash-v1")).toBeUndefined();
  });

  it("refuses a broken file or one fitted for another embedder, naming the file", () => {
    const d = dir();
    writeFileSync(fittedParamsFile(d, "x"), "{");
    expect(() => readFittedParams(d, "x")).toThrow(ConfigError);
    writeFileSync(fittedParamsFile(d, "x"), JSON.stringify({ ...params("x"), confidence: { bias: 1 } }));
    expect(() => readFittedParams(d, "x")).toThrow(/x\.json: not a fitted-parameters file \(confidence\.coverage/);
    writeFileSync(fittedParamsFile(d, "x"), JSON.stringify(params("y")));
    expect(() => readFittedParams(d, "x")).toThrow(/fitted for embedder y, not x/);
  });

  it("reads fitted fusion weights over the built-in ones, and refuses unknown or negative weights", () => {
    const d = dir();
    writeFileSync(fittedParamsFile(d, "x"), JSON.stringify({ ...params("x"), retrieval: { weights: { dense: 0.8, questionHeading: 0.4 } } }));
    expect(fusionWeightsOf(readFittedParams(d, "x")!)).toEqual({ ...DEFAULT_RETRIEVAL_SETTINGS.weights, dense: 0.8, questionHeading: 0.4 });
    writeFileSync(fittedParamsFile(d, "y"), JSON.stringify(params("y")));
    expect(fusionWeightsOf(readFittedParams(d, "y")!)).toEqual(DEFAULT_RETRIEVAL_SETTINGS.weights);
    writeFileSync(fittedParamsFile(d, "z"), JSON.stringify({ ...params("z"), retrieval: { weights: { title: 1 } } }));
    expect(() => readFittedParams(d, "z")).toThrow(/retrieval\.weights/);
    writeFileSync(fittedParamsFile(d, "z"), JSON.stringify({ ...params("z"), retrieval: { weights: { dense: -1 } } }));
    expect(() => readFittedParams(d, "z")).toThrow(/retrieval\.weights\.dense/);
  });

  it("the checked-in artifact of the default embedder is valid and fitted on several datasets", () => {
    const raw: unknown = JSON.parse(readFileSync(fittedParamsFile(join(packageRoot(), "fitted"), "local-hash-v1"), "utf8"));
    const parsed = fittedParamsSchema.parse(raw);
    expect(parsed.fittedOn.length).toBeGreaterThanOrEqual(2);
  });
});
