import { describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findPackageRoot, packageRoot } from "../src/package-root.js";

describe("packageRoot", () => {
  it("is the directory holding groundline's package.json and corpora/", () => {
    expect(existsSync(join(packageRoot(), "package.json"))).toBe(true);
    expect(existsSync(join(packageRoot(), "corpora"))).toBe(true);
  });

  it("is found the same from sources and from the compiled tree, past another package.json", () => {
    const root = mkdtempSync(join(tmpdir(), "groundline-root-"));
    try {
      writeFileSync(join(root, "package.json"), JSON.stringify({ name: "groundline" }));
      mkdirSync(join(root, "src", "server"), { recursive: true });
      mkdirSync(join(root, "dist", "src", "server"), { recursive: true });
      writeFileSync(join(root, "dist", "package.json"), JSON.stringify({ type: "module" }));
      expect(findPackageRoot(join(root, "src", "server"))).toBe(root);
      expect(findPackageRoot(join(root, "dist", "src", "server"))).toBe(root);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
