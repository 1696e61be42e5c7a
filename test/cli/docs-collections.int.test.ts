import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = mkdtempSync(join(tmpdir(), "groundline-cli-coll-"));
const dataDir = join(root, "data");
const docs = join(root, "docs");

function run(script: string, args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", script, ...args], {
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent" },
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  mkdirSync(docs, { recursive: true });
  writeFileSync(join(docs, "guide.md"), "# Guide\n\n## Pairing\n\nHold the Home button for five seconds to pair the remote.\n");
  expect(run("ingest/cli.ts", [docs, "--json"]).code).toBe(0);
  expect(run("ingest/cli.ts", [docs, "--collection", "manuals", "--json"]).code).toBe(0);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("npm run docs with collections", () => {
  it("the same id in two collections is two documents; show and delete take --collection (default DEFAULT_COLLECTION)", () => {
    const list = JSON.parse(run("scripts/docs.ts", ["list", "--json"]).stdout) as Array<{ id: string; collection: string }>;
    expect(list.map((d) => `${d.collection}/${d.id}`).sort()).toEqual(["default/guide.md", "manuals/guide.md"]);
    expect(JSON.parse(run("scripts/docs.ts", ["show", "guide.md", "--collection", "manuals", "--json"]).stdout)).toMatchObject({ collection: "manuals" });
    expect(JSON.parse(run("scripts/docs.ts", ["show", "guide.md", "--json"]).stdout)).toMatchObject({ collection: "default" });

    const missing = run("scripts/docs.ts", ["show", "guide.md", "--collection", "nope"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope/guide.md");
    const invalid = run("scripts/docs.ts", ["delete", "guide.md", "--collection", "bad/name"]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/invalid --collection/);

    const deleted = run("scripts/docs.ts", ["delete", "guide.md", "--collection", "manuals"]);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain("deleted manuals/guide.md");
    expect(run("scripts/docs.ts", ["show", "guide.md", "--collection", "manuals"]).code).toBe(2);
    expect(run("scripts/docs.ts", ["show", "guide.md"]).code).toBe(0);
  });

  it("show and delete find a document whose id held personal data by the id as given (stored as its HMAC)", () => {
    const dir = join(root, "pii");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "jane.doe@example.com.md"), "# Notes\n\nThe hub restarts after a firmware update.\n");
    expect(run("ingest/cli.ts", [dir, "--json"]).code).toBe(0);
    const shown = run("scripts/docs.ts", ["show", "jane.doe@example.com.md", "--json"]);
    expect(shown.code).toBe(0);
    const doc = JSON.parse(shown.stdout) as { id: string };
    expect(doc.id).toMatch(/^pii-[0-9a-f]{32}\.md$/);
    expect(shown.stdout).not.toContain("jane.doe@example.com");
    expect(run("scripts/docs.ts", ["delete", "jane.doe@example.com.md"]).code).toBe(0);
    expect(run("scripts/docs.ts", ["show", doc.id]).code).toBe(2);
  });
});
