import { describe, expect, it } from "vitest";
import { openerFor, toneFor, withOpener } from "../../src/assist/tone.js";

describe("tone of suggested replies", () => {
  it("follows the customer's sentiment, cues and repeated contact", () => {
    expect(toneFor("negative")).toBe("apologetic");
    expect(toneFor("neutral", { cues: ["frustration"] })).toBe("apologetic");
    expect(toneFor("neutral", { repeated: true })).toBe("apologetic");
    expect(toneFor("neutral", { cues: ["urgency"] })).toBe("neutral");
    expect(toneFor("positive")).toBe("friendly");
  });

  it("opens apologetically in the customer's language, naming the product when known", () => {
    expect(openerFor("apologetic", "en", { product: "Lumio HomeHub 3" })).toBe("I'm sorry about the trouble with your Lumio HomeHub 3.");
    expect(openerFor("apologetic", "en-GB")).toBe("I'm sorry about the trouble with this.");
    expect(openerFor("apologetic", "zh")).toBe("非常抱歉给您带来不便。");
    expect(openerFor("apologetic", "en", { repeated: true })).toMatch(/still isn't resolved/);
    expect(openerFor("apologetic", "xx")).toMatch(/^I'm sorry/);
    expect(openerFor("neutral", "en")).toBe("");
  });

  it("joins opener and body as the language writes", () => {
    expect(withOpener("I'm sorry.", "Do this [1].")).toBe("I'm sorry. Do this [1].");
    expect(withOpener("非常抱歉给您带来不便。", "请这样做[1]。")).toBe("非常抱歉给您带来不便。请这样做[1]。");
    expect(withOpener("", "Do this [1].")).toBe("Do this [1].");
  });
});
