// The behaviour every UploadStore (src/ports/upload-store.ts) must share, run against each backend.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/errors.js";
import type { UploadStore } from "../../src/ports/upload-store.js";
import type { StateUnderTest } from "./state-harness.js";

const sha = (b: Buffer): string => createHash("sha256").update(b).digest("hex");

export function describeUploadStore(name: string, create: () => Promise<StateUnderTest>): void {
  describe(`${name}: upload store conformance`, () => {
    let subject: StateUnderTest;
    let uploads: UploadStore;
    beforeEach(async () => {
      subject = await create();
      uploads = subject.state.uploads;
    });
    afterEach(async () => {
      await subject.close();
    });

    it("saves bytes, reads them back byte-equal, lists and removes them; identical uploads stay separate", async () => {
      // Larger than one PostgreSQL part (1 MiB), with every byte value.
      const bytes = Buffer.from(Uint8Array.from({ length: 2.5 * 1024 * 1024 }, (_, i) => (i * 7919) % 256));
      const before = Date.now();
      const a = await uploads.save(bytes, "../../etc/My Manual (v2).md");
      const b = await uploads.save(bytes, "../../etc/My Manual (v2).md");
      expect(a).toEqual({ path: expect.any(String), contentHash: sha(bytes), size: bytes.length });
      expect(a.path).not.toBe(b.path);
      expect(a.path).toMatch(/My_Manual_v2_\.md$/);
      expect((await uploads.read(a.path)).equals(bytes)).toBe(true);
      const listed = await uploads.list();
      expect(listed.map((u) => u.path).sort()).toEqual([a.path, b.path].sort());
      expect(listed.every((u) => u.modifiedAt >= before - 2000 && u.modifiedAt <= Date.now() + 2000)).toBe(true);
      await uploads.remove(a.path);
      await uploads.remove(a.path);
      expect((await uploads.list()).map((u) => u.path)).toEqual([b.path]);
      await expect(uploads.read(a.path)).rejects.toMatchObject({ code: "ENOENT" });
      expect((await uploads.read(b.path)).equals(bytes)).toBe(true);
    });

    it("an empty upload is kept and read back empty", async () => {
      const e = await uploads.save(Buffer.alloc(0), "empty.txt");
      expect(e.size).toBe(0);
      expect((await uploads.read(e.path)).length).toBe(0);
    });

    it("adopts a streamed file from incomingDir (gone from there afterwards) and hands a local path to its bytes", async () => {
      const dir = await uploads.incomingDir();
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      const temp = join(dir, "x.part");
      const bytes = Buffer.from("# Guide\n\nStep one.\n".repeat(100_000));
      writeFileSync(temp, bytes, { mode: 0o600 });
      const stored = await uploads.adopt(temp, "guide.md");
      expect(existsSync(temp)).toBe(false);
      expect(stored).toMatchObject({ contentHash: sha(bytes), size: bytes.length });
      const local = await uploads.localPath(stored.path);
      expect(readFileSync(local).equals(bytes)).toBe(true);
      expect(statSync(local).mode & 0o777).toBe(0o600);
      await uploads.remove(stored.path);
      await expect(uploads.localPath(stored.path)).rejects.toMatchObject({ code: "ENOENT" });
      expect(existsSync(local)).toBe(false);
    });

    it("refuses references that are not its own uploads", async () => {
      for (const path of ["/etc/passwd", "../secret", join(subject.dataDir, "store.db")]) {
        await expect(uploads.read(path)).rejects.toBeInstanceOf(InvalidInputError);
        await expect(uploads.remove(path)).rejects.toBeInstanceOf(InvalidInputError);
        await expect(uploads.localPath(path)).rejects.toBeInstanceOf(InvalidInputError);
      }
    });
  });
}
