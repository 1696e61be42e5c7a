import { describe, expect, it } from "vitest";
import { questionCompounds, questionNames } from "../../src/retrieval/question-names.js";
import { analyze } from "../../src/text/analyzer.js";

describe("questionNames", () => {
  it("takes capitalised words inside a sentence, acronyms, mixed case and words with digits", () => {
    expect(questionNames("How do I sync my Zorblax Drive with the hub?")).toEqual(["zorblax", "drive"]);
    // A lone digit ("5") is a count more often than a name; a model number is analysed like any compound.
    expect(questionNames("Does the QX-9 remote work with WebOS 5?")).toEqual([...new Set(analyze("QX-9 WebOS"))]);
    expect(questionNames("can i pair it with the k3s box")).toEqual(["k3s"]);
  });

  it("does not take the capital every sentence starts with, nor plain lower-case words", () => {
    expect(questionNames("How do I reset the remote? Then what happens?")).toEqual([]);
    expect(questionNames("my screen stays black after the update")).toEqual([]);
    // An acronym is a name at the start of a sentence too.
    expect(questionNames("HDMI input shows nothing.")).toEqual(["hdmi"]);
    // "I" and its contractions are capitalised but name nothing; a possessive names its owner.
    expect(questionNames("Now I'm lost, and I think I've tried Zorblax's reset")).toEqual(["zorblax"]);
  });

  it("finds Latin names inside Chinese text and nothing else there", () => {
    expect(questionNames("M2支持设置哪几种音量模式？")).toEqual(["m2"]);
    expect(questionNames("怎么设置音量？")).toEqual([]);
  });
});

describe("questionCompounds", () => {
  it("groups the terms of each word written with joiners, and nothing else", () => {
    expect(questionCompounds("can I zorp'ing the long-term qx-9 backup?")).toEqual([analyze("zorp'ing"), analyze("long-term"), analyze("qx-9")].map((t) => [...new Set(t)]));
    expect(questionCompounds("how do i reset the remote")).toEqual([]);
  });
});
