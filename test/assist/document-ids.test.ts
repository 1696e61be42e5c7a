import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createDocumentIds, storedDocumentId } from "../../src/assist/document-ids.js";
import { loadIdSecret } from "../../src/adapters/id-secret.js";
import { loadConfig } from "../../src/config.js";

const ids = createDocumentIds({ secret: "a-test-secret-of-enough-length" });

describe("stored document ids", () => {
  it("keeps ids without personal data as they are", () => {
    for (const id of ["T-1016", "manual/lumio-homehub-3.md", "faq/firmware-3.4.1.md", "doc-000123", "Section 6.2.4.3.pdf"]) expect(ids.toStored(id)).toBe(id);
  });

  it("replaces ids with personal data by a keyed HMAC, keeping a document extension", () => {
    const email = ids.toStored("tickets/leak.id@example.com.jsonl");
    expect(email).toMatch(/^pii-[0-9a-f]{32}\.jsonl$/);
    expect(ids.toStored("+44 20 7946 0958")).toMatch(/^pii-[0-9a-f]{32}$/);
    expect(ids.toStored("card-4111 1111 1111 1111.pdf")).toMatch(/^pii-[0-9a-f]{32}\.pdf$/);
    expect(ids.toStored("jane@example.com")).toMatch(/^pii-[0-9a-f]{32}$/); // ".com" is no document extension
    expect(ids.toStored("tickets/leak.id@example.com.jsonl")).toBe(email); // deterministic
  });

  it("is idempotent, collision-free between ids, and depends on the secret", () => {
    const a = ids.toStored("leak.a@example.com");
    const b = ids.toStored("leak.b@example.com");
    expect(a).not.toBe(b);
    expect(ids.toStored(a)).toBe(a);
    expect(ids.toStored(ids.toStored("x leak.a@example.com.pdf"))).toBe(ids.toStored("x leak.a@example.com.pdf"));
    expect(createDocumentIds({ secret: "another-secret-of-enough-length" }).toStored("leak.a@example.com")).not.toBe(a);
    expect(storedDocumentId("leak.a@example.com", { secret: "a-test-secret-of-enough-length", containsPersonalData: () => true })).toBe(a);
  });
});

describe("the HMAC secret", () => {
  it("comes from ID_HMAC_SECRET, else is generated once into DATA_DIR/secret with mode 0600", () => {
    const dir = mkdtempSync(join(tmpdir(), "groundline-secret-"));
    try {
      expect(loadIdSecret("configured-secret-123456", dir)).toBe("configured-secret-123456");
      const first = loadIdSecret(undefined, dir);
      expect(first).toMatch(/^[0-9a-f]{64}$/);
      expect(readFileSync(join(dir, "secret"), "utf8").trim()).toBe(first);
      expect(statSync(join(dir, "secret")).mode & 0o777).toBe(0o600);
      expect(loadIdSecret(undefined, dir)).toBe(first);
      expect(readdirSync(dir)).toEqual(["secret"]);
      expect(() => loadConfig({ ID_HMAC_SECRET: "too-short" })).toThrow(/ID_HMAC_SECRET/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
