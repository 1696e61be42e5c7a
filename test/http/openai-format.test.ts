import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/errors.js";
import { toQuestion } from "../../src/http/openai-format.js";
import { splitForStreaming } from "../../src/http/sse.js";

describe("toQuestion", () => {
  it("takes the last user message as the question and earlier user/assistant turns as history", () => {
    const out = toQuestion([
      { role: "system", content: "be brief" },
      { role: "user", content: "first" },
      { role: "assistant", content: [{ type: "text", text: "reply" }] },
      { role: "tool", content: "tool output" },
      { role: "user", content: [{ type: "text", text: "second" }, { type: "image_url" }] },
      { role: "assistant", content: "prefill" },
    ]);
    expect(out).toEqual({ question: "second", history: [{ role: "user", content: "first" }, { role: "assistant", content: "reply" }] });
  });

  it("keeps the 20 most recent history turns", () => {
    const messages = Array.from({ length: 30 }, (_, i) => ({ role: i % 2 === 0 ? ("user" as const) : ("assistant" as const), content: `m${i}` }));
    const out = toQuestion([...messages, { role: "user", content: "q" }]);
    expect(out.history).toHaveLength(20);
    expect(out.history[0]?.content).toBe("m10");
  });

  it("rejects conversations without a user question", () => {
    expect(() => toQuestion([{ role: "system", content: "x" }])).toThrow(InvalidInputError);
    expect(() => toQuestion([{ role: "user", content: "   " }])).toThrow(InvalidInputError);
  });
});

describe("splitForStreaming", () => {
  it("cuts at whitespace into about n pieces that join back exactly", () => {
    const text = "  Unplug the widget. [1]\n2. Hold the reset pin for ten seconds. [1]";
    const parts = splitForStreaming(text, 4);
    expect(parts.join("")).toBe(text);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.length).toBeLessThanOrEqual(4);
    expect(splitForStreaming("")).toEqual([]);
  });
});
