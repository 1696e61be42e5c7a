import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { FileUploadStore, sanitizeFileName } from "../../src/adapters/file-upload-store.js";
import { InvalidInputError } from "../../src/errors.js";

let dataDir: string;
let uploads: FileUploadStore;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "groundline-uploads-"));
  uploads = new FileUploadStore(dataDir);
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe("FileUploadStore", () => {
  it("stores bytes owner-only under DATA_DIR/uploads, named by hash and sanitized name, and reads them back", async () => {
    const bytes = Buffer.from("# Setup\n\nHold the button.\n");
    const stored = await uploads.save(bytes, "../../etc/My Manual (v2).md");
    const hash = createHash("sha256").update(bytes).digest("hex");
    expect(stored.contentHash).toBe(hash);
    expect(stored.size).toBe(bytes.length);
    expect(stored.path.startsWith(join(dataDir, "uploads") + "/")).toBe(true);
    expect(basename(stored.path)).toMatch(new RegExp(`^${hash}-[0-9a-f]{12}-My_Manual_v2_.md$`));
    expect(statSync(join(dataDir, "uploads")).mode & 0o777).toBe(0o700);
    expect(statSync(stored.path).mode & 0o777).toBe(0o600);
    expect((await uploads.read(stored.path)).equals(bytes)).toBe(true);
    expect(readdirSync(join(dataDir, "uploads"))).toEqual([basename(stored.path)]);
  });

  it("gives identical uploads their own files so removing one leaves the other", async () => {
    const a = await uploads.save(Buffer.from("same"), "a.txt");
    const b = await uploads.save(Buffer.from("same"), "a.txt");
    expect(a.path).not.toBe(b.path);
    await uploads.remove(a.path);
    expect(existsSync(a.path)).toBe(false);
    expect((await uploads.read(b.path)).toString()).toBe("same");
  });

  it("removes idempotently and refuses paths outside the upload directory", async () => {
    const stored = await uploads.save(Buffer.from("x"), "x.txt");
    await uploads.remove(stored.path);
    await uploads.remove(stored.path);
    const outside = join(dataDir, "secret.txt");
    writeFileSync(outside, "keep me");
    await expect(uploads.read(outside)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(uploads.remove(outside)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(uploads.read(join(dataDir, "uploads", "..", "secret.txt"))).rejects.toBeInstanceOf(InvalidInputError);
    await expect(uploads.remove(join(dataDir, "uploads"))).rejects.toBeInstanceOf(InvalidInputError);
    expect(existsSync(outside)).toBe(true);
  });

  it("sanitizes names to a safe, non-hidden basename", () => {
    expect(sanitizeFileName("C:\\Users\\x\\report.pdf")).toBe("report.pdf");
    expect(sanitizeFileName(".bashrc")).toBe("upload.bashrc");
    expect(sanitizeFileName("..")).toBe("upload");
    expect(sanitizeFileName("")).toBe("upload");
    expect(sanitizeFileName("日本語.md")).toBe("upload_.md");
    expect(sanitizeFileName("a/b/ok name.txt")).toBe("ok_name.txt");
    expect(sanitizeFileName(`${"a".repeat(300)}.pdf`).length).toBe(100);
  });
});
