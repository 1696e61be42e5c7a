import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/errors.js";
import { assertLookupId, assertWritableDocumentId, sanitizeFileName, slugify } from "../../src/http/file-name.js";

describe("sanitizeFileName", () => {
  it.each([
    ["../../etc/passwd", "passwd"],
    ["..\\..\\windows\\system.ini", "system.ini"],
    ["/abs/path/guide.md", "guide.md"],
    ["bad\u0000na\u001fme.md", "badname.md"],
    ["evil\u202Efdp.exe", "evilfdp.exe"],
    ["  .hidden.md ", "hidden.md"],
    ["Cafe\u0301.md", "Café.md"],
  ])("%j → %j", (raw, safe) => {
    const out = sanitizeFileName(raw);
    expect(out).toBe(safe);
    expect(out.normalize("NFC")).toBe(out);
  });

  it("truncates to 200 characters keeping the extension", () => {
    const out = sanitizeFileName(`${"a".repeat(300)}.pdf`);
    expect(out).toHaveLength(200);
    expect(out.endsWith(".pdf")).toBe(true);
  });

  it.each(["", "..", "../..", "/", "\u0000\u0001", "   "])("rejects %j", (raw) => {
    expect(() => sanitizeFileName(raw)).toThrow(InvalidInputError);
  });
});

describe("document ids", () => {
  it("accepts ids derived from ordinary file names and paths", () => {
    for (const id of ["manual/guide.md", "ticket#123", "faq:wifi@v2", "User Guide (2).pdf", "手册.md"]) expect(assertWritableDocumentId(id)).toBe(id);
  });

  it.each(["../x", "a/../b", "/abs", "a\nb", "semi;colon", " padded", "x".repeat(201), ""])("rejects %j for writes", (id) => {
    expect(() => assertWritableDocumentId(id)).toThrow(InvalidInputError);
  });

  it("lookups accept any stored id but not control characters", () => {
    expect(assertLookupId("odd;name's.md")).toBe("odd;name's.md");
    expect(() => assertLookupId("a\u0000b")).toThrow(InvalidInputError);
  });

  it("slugifies titles", () => {
    expect(slugify("Returns & Refunds!")).toBe("returns-refunds");
    expect(slugify("Wi-Fi 设置")).toBe("wi-fi-设置");
    expect(slugify("!!!")).toBe("document");
  });
});
