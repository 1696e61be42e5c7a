import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = mkdtempSync(join(tmpdir(), "groundline-cli-"));
const dataDir = join(root, "data");
const docs = join(root, "docs");

function run(script: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ["--import", "tsx", script, ...args], {
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent", ...env },
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  mkdirSync(docs, { recursive: true });
  writeFileSync(join(docs, "guide.md"), "# Guide\n\n## Pairing\n\nHold the Home button for five seconds to pair the remote.\n");
  writeFileSync(join(docs, "tickets.jsonl"), `${JSON.stringify({ id: "T-1", subject: "Remote will not pair", messages: [{ role: "customer", text: "My remote does not pair." }], resolution: "Hold Home for five seconds." })}\n`);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("command line", () => {
  it("ingest --json prints only the summary on stdout, and a second run changes nothing", () => {
    const first = run("ingest/cli.ts", [docs, "--json"]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ documents: 2, added: 2, failed: 0, errors: [] });
    const second = run("ingest/cli.ts", [docs, "--json"]);
    expect(JSON.parse(second.stdout)).toMatchObject({ documents: 2, unchanged: 2, embedded: 0 });
  });

  it("docs list --json shows id, title, status and chunk count; show and delete work", () => {
    const list = run("scripts/docs.ts", ["list", "--json"]);
    const items = JSON.parse(list.stdout) as Array<{ id: string; title: string; status: string; chunks: number }>;
    expect(items.map((d) => d.id).sort()).toEqual(["T-1", "guide.md"]);
    expect(items.every((d) => d.status === "ready" && d.chunks > 0 && d.title.length > 0)).toBe(true);
    expect(run("scripts/docs.ts", ["show", "guide.md", "--json"]).stdout).toContain('"title":"Guide"');
    expect(run("scripts/docs.ts", ["delete", "T-1"]).code).toBe(0);
    expect(run("scripts/docs.ts", ["delete", "T-1"]).code).toBe(2);
  });

  it("bad input gives a clear message and a non-zero exit, with the store unchanged", () => {
    const bad = join(root, "bad");
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, "broken.pdf"), "%PDF-1.7\nthis is not really a pdf");
    const r = run("ingest/cli.ts", [bad, "--json"]);
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout) as { failed: number; errors: Array<{ file: string; error: string }> };
    expect(summary.failed).toBe(1);
    expect(summary.errors[0]!.error).toContain("broken.pdf");
    expect(run("ingest/cli.ts", []).code).toBe(2);
    expect(run("ingest/cli.ts", [join(root, "missing")]).stderr).toContain("no such file");
    const list = JSON.parse(run("scripts/docs.ts", ["list", "--json"]).stdout) as unknown[];
    expect(list).toHaveLength(1);
  });

  it("refuses to open a store built by another embedder, and reindex fixes it", () => {
    const other = { LOCAL_EMBEDDER_DIMENSIONS: "128" };
    const r = run("scripts/docs.ts", ["list"], other);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("npm run reindex");
    expect(run("scripts/reindex.ts", [], other).code).toBe(0);
    expect(run("scripts/docs.ts", ["list", "--json"], other).code).toBe(0);
    const ask = run("scripts/ask.ts", ["How do I pair the remote?", "--json"], other);
    expect(JSON.parse(ask.stdout).citations[0].documentId).toBe("guide.md");
  });

  it("backup writes a consistent copy that opens as a store", () => {
    const dest = join(root, "backup");
    // The previous test reindexed the store to 128 dimensions.
    expect(run("scripts/backup.ts", [dest], { LOCAL_EMBEDDER_DIMENSIONS: "128" }).code).toBe(0);
    const list = spawnSync(process.execPath, ["--import", "tsx", "scripts/docs.ts", "list", "--json"], {
      env: { ...process.env, DATA_DIR: dest, LOG_LEVEL: "silent", LOCAL_EMBEDDER_DIMENSIONS: "128" },
      encoding: "utf8",
    });
    expect(JSON.parse(list.stdout)).toHaveLength(1);
  });
});
