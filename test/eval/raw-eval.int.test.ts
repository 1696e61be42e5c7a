import { execFile } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeRawDataset } from "./raw-fixture.js";

const exec = promisify(execFile);

interface EvalJson {
  http: boolean;
  systems: Record<string, Record<string, { correct: number; "pageRecall@5": number | null; questions: { answerable: number; unanswerable: number } }>>;
  questions: Record<string, Array<{ id: string; answer: string; answered: boolean; citations: Array<{ file: string; page?: number }> }>>;
}

async function runEval(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(process.execPath, ["--import", "tsx", "scripts/eval.ts", ...args], { env: { ...process.env, LOG_LEVEL: "silent" }, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

describe("npm run eval on a dataset of files (generated PDFs)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeRawDataset();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("ingests the files as uploads, scores every system per file, and the HTTP run gives the same answers", async () => {
    const json = join(dir, "out.json");
    const local = await runEval(["--dataset", dir, "--json", json]);
    expect(local.stderr).toContain("ingested gizmo.pdf");
    expect(local.code).toBe(0);
    expect(local.stdout).toContain("== all files (4 answerable, 1 unanswerable)");
    expect(local.stdout).toContain("== gizmo.pdf (3 answerable, 0 unanswerable)");
    expect(local.stdout).toContain("== hub.pdf (2 answerable, 0 unanswerable)");
    const out = JSON.parse(readFileSync(json, "utf8")) as EvalJson;
    expect(Object.keys(out.systems)).toEqual(["hybrid", "bm25", "dense", "langchainReference"]);
    for (const name of ["bm25", "langchainReference"]) expect(out.systems[name]!.all!["pageRecall@5"]).toBeGreaterThan(0);
    const hybrid = out.questions.hybrid!;
    expect(hybrid.map((q) => q.id)).toEqual(["g-1", "g-2", "h-1", "b-1", "u-1"]);
    // Citations are scored by (file, page): the document id of an uploaded file is its file name.
    for (const q of Object.values(out.questions).flat()) for (const c of q.citations) expect(["gizmo.pdf", "hub.pdf"]).toContain(c.file);
    expect(out.questions.langchainReference!.flatMap((q) => q.citations).every((c) => typeof c.page === "number")).toBe(true);

    const httpJson = join(dir, "http.json");
    const http = await runEval(["--dataset", dir, "--http", "--json", httpJson]);
    expect(http.stderr).toContain("uploaded and ingested hub.pdf over HTTP");
    expect(http.code).toBe(0);
    const viaHttp = JSON.parse(readFileSync(httpJson, "utf8")) as EvalJson;
    expect(viaHttp.http).toBe(true);
    expect(viaHttp.systems.http!.all!["pageRecall@5"]).toBeNull();
    expect(viaHttp.questions.http!.map((q) => [q.id, q.answer, q.citations])).toEqual(hybrid.map((q) => [q.id, q.answer, q.citations]));
  }, 180_000);

  it("--floors fails the run on a figure below its floor, per file too", async () => {
    const floors = join(dir, "floors.json");
    writeFileSync(floors, JSON.stringify({ [basename(dir)]: { bm25: { correct: 0 }, "bm25@hub.pdf": { correct: 1.01 } } }));
    const r = await runEval(["--dataset", dir, "--mode", "bm25", "--floors", floors]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/quality gate: .* bm25@hub\.pdf correct = [\d.]+ < 1\.01/);
    expect(r.stderr).not.toMatch(/bm25 correct/);
  }, 120_000);
});
