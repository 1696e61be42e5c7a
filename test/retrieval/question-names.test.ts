import { describe, expect, it } from "vitest";
import { questionCompounds, questionNames, questionPhrases } from "../../src/retrieval/question-names.js";
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

describe("questionPhrases", () => {
  const terms = (text: string): string[] => [...new Set(analyze(text))];

  it("takes names of several adjacent words and words joined by hyphens, dots or slashes", () => {
    expect(questionPhrases("How do I sync the Zorblax Office app with my Qwerty Drive?")).toEqual([{ terms: terms("Zorblax Office") }, { terms: terms("Qwerty Drive") }]);
    expect(questionPhrases("How do I turn on Wake-on-LAN after the install?")).toEqual([{ terms: terms("Wake on LAN"), joined: "wakeonlan" }]);
    expect(questionPhrases("where do I set Daylight Saving Time?")).toEqual([{ terms: terms("Daylight Saving Time") }]);
  });

  it("leaves out single names, names split by punctuation or a possessive, and apostrophe words", () => {
    expect(questionPhrases("Does Zorblax work with Qwerty, Vexon or Debian?")).toEqual([]);
    expect(questionPhrases("Is Zorblax's Office app free?")).toEqual([]);
    expect(questionPhrases("How can a user burn DVDs without chmod'ing the device?")).toEqual([]);
    expect(questionPhrases("my screen stays black after the update")).toEqual([]);
  });

  it("ends a name at a word holding a digit: a version or model may be written otherwise", () => {
    expect(questionPhrases("Will it run on my old Amiga with a Motorola 68030?")).toEqual([]);
    expect(questionPhrases("Can Qwerty Vexon 12 run it?")).toEqual([{ terms: terms("Qwerty Vexon") }]);
  });

  it("takes no names from a sentence whose capitals are typography (Title Case, capitals)", () => {
    expect(questionPhrases("How To Install Zorblax Office On Debian")).toEqual([]);
    expect(questionPhrases("WHY DOES THE QWERTY DRIVE STOP?")).toEqual([]);
  });

  it("finds joined Latin words inside Chinese text", () => {
    expect(questionPhrases("怎么设置Wi-Fi密码？")).toEqual([{ terms: ["wi", "fi"], joined: "wifi" }]);
    expect(questionPhrases("怎么设置音量？")).toEqual([]);
  });
});
