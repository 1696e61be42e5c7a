import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import { createKeyResolver, parseApiKeys, requirementFor } from "../../../src/http/middleware/auth.js";

describe("parseApiKeys", () => {
  it("parses names, keys, scopes and collections; admin implies every scope", () => {
    const keys = parseApiKeys("bot:sk-bot-123:answer, content:sk-c-456:ingest+answer:manuals|faq ,ops:sk-ops:admin,");
    expect(keys).toEqual([
      { name: "bot", key: "sk-bot-123", scopes: ["answer"] },
      { name: "content", key: "sk-c-456", scopes: ["ingest", "answer"], collections: ["manuals", "faq"] },
      { name: "ops", key: "sk-ops", scopes: ["answer", "assist", "ingest", "curate", "admin"] },
    ]);
  });

  it("parses the curate scope", () => {
    expect(parseApiKeys("ed:sk-editor:curate+ingest:manuals")).toEqual([{ name: "ed", key: "sk-editor", scopes: ["curate", "ingest"], collections: ["manuals"] }]);
  });

  it("parses the widget scope, which admin does not imply", () => {
    expect(parseApiKeys("w:sk-widget:widget:manuals")).toEqual([{ name: "w", key: "sk-widget", scopes: ["widget"], collections: ["manuals"] }]);
    expect(parseApiKeys("ops:sk-ops:admin")[0]?.scopes).not.toContain("widget");
  });

  it("returns no keys when unset or blank", () => {
    expect(parseApiKeys(undefined)).toEqual([]);
    expect(parseApiKeys("  ")).toEqual([]);
  });

  it.each([
    ["missing scopes", "bot:sk-bot-123"],
    ["too many fields", "bot:sk:answer:c:extra"],
    ["unknown scope", "bot:sk-bot-123:read"],
    ["bad name", "b o t:sk-bot-123:answer"],
    ["short key", "bot:k:answer"],
    ["bad collection", "bot:sk-bot-123:answer:a b"],
    ["duplicate name", "bot:sk-1111:answer,bot:sk-2222:answer"],
    ["duplicate key", "a:sk-1111:answer,b:sk-1111:answer"],
  ])("rejects %s with a ConfigError naming API_KEYS", (_why, raw) => {
    expect(() => parseApiKeys(raw)).toThrow(ConfigError);
    expect(() => parseApiKeys(raw)).toThrow(/API_KEYS/);
  });

  it("resolves only exact keys", () => {
    const resolve = createKeyResolver(parseApiKeys("a:sk-aaaa:answer,b:sk-bbbb:ingest"));
    expect(resolve("sk-bbbb")?.name).toBe("b");
    expect(resolve("sk-bbb")).toBeUndefined();
    expect(resolve("sk-bbbbb")).toBeUndefined();
    expect(resolve("")).toBeUndefined();
  });

  it("maps paths to scopes", () => {
    expect(requirementFor("/answer")).toEqual(["answer"]);
    expect(requirementFor("/v1/chat/completions")).toEqual(["answer"]);
    // Agent assist shows past tickets: its own scope, which a customer-facing bot key does not hold.
    expect(requirementFor("/suggest")).toEqual(["assist"]);
    expect(requirementFor("/SUGGEST/")).toEqual(["assist"]);
    expect(requirementFor("/feedback")).toEqual(["answer", "assist"]);
    expect(requirementFor("/documents/a/b.md")).toEqual(["ingest"]);
    expect(requirementFor("/Jobs/1")).toEqual(["ingest"]);
    expect(requirementFor("/metrics")).toEqual(["admin"]);
    expect(requirementFor("/analytics/top")).toEqual(["admin"]);
    expect(requirementFor("/healthz")).toBe("public");
    expect(requirementFor("/")).toBe("public");
    expect(requirementFor("/console/")).toBe("public");
    expect(requirementFor("/console/assets/index-abc.js")).toBe("public");
    expect(requirementFor("/widget.js")).toBe("public");
    expect(requirementFor("/widget.jsx")).toBe("any");
    expect(requirementFor("/consoles")).toBe("any");
    expect(requirementFor("/console/../documents")).toBe("any");
    expect(requirementFor("/console/%2E%2E/documents")).toBe("any");
    expect(requirementFor("/chunks/a.md")).toEqual(["ingest"]);
    expect(requirementFor("/whoami")).toBe("any");
    expect(requirementFor("/answers-export")).toBe("any");
  });
});
