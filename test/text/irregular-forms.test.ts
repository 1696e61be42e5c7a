import { describe, expect, it } from "vitest";
import { participleOf } from "../../src/text/irregular-forms.js";

describe("participleOf", () => {
  it("maps an irregular simple past onto its participle", () => {
    expect(participleOf("broke")).toBe("broken");
    expect(participleOf("wrote")).toBe("written");
    expect(participleOf("ran")).toBe("run");
  });

  it("leaves participles, regular verbs and other words alone", () => {
    for (const w of ["broken", "written", "booted", "saw", "left", "stick", "led"]) expect(participleOf(w)).toBe(w);
  });
});
