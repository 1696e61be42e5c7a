import { describe, expect, it } from "vitest";
import { ADMONITION_LABELS, ADMONITION_LINE_RE } from "../../src/text/admonitions.js";

describe("admonition label lines", () => {
  it("match every label alone, in any case, with or without a colon", () => {
    for (const label of ADMONITION_LABELS) {
      for (const line of [label, label.toUpperCase(), `${label}:`, ` ${label} ： `]) expect(ADMONITION_LINE_RE.test(line), line).toBe(true);
    }
  });

  it("never match a sentence that starts with a label", () => {
    for (const line of ["Note that the hub restarts.", "Warning: never unplug the hub.", "Tips and tricks", "注意安全。"]) {
      expect(ADMONITION_LINE_RE.test(line), line).toBe(false);
    }
  });
});
