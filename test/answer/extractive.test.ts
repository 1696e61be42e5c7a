import { describe, expect, it } from "vitest";
import type { Source } from "../../src/domain/answer.js";
import { ExtractiveComposer, wordCount } from "../../src/answer/extractive.js";
import { verifyAnswer } from "../../src/answer/verify-citations.js";
import { splitSource, type Sentence } from "../../src/answer/extractive-blocks.js";
import { BoundedMemo } from "../../src/text/bounded-memo.js";

/** Retrieval scores are equal unless a test sets them: the order given is the rank. */
function source(n: number, sectionPath: string[], text: string, score = 1): Source {
  return { n, chunkId: `c/doc-${n}#0`, documentId: `doc-${n}`, title: "HomeHub Manual", sectionPath, sourceType: "manual", text, score };
}

const PAIRING = source(
  1,
  ["The Remote", "Pairing the Remote"],
  [
    "The remote in the box is not yet paired to any hub. Pair it after the hub setup is complete:",
    "",
    "1. Pull the plastic battery tab out of the remote.",
    "2. In the app, go to Devices > Add Device > Remote.",
    "3. Press and hold Home and Brightness down together for 5 seconds until the LED blinks green.",
    "4. The app shows the remote within about 30 seconds.",
    "",
    "To reset the remote, press and hold Power and Scene 4 together for 10 seconds. Then pair it again.",
  ].join("\n"),
);

const BATTERY = source(
  2,
  ["The Remote", "Replacing the Battery"],
  "The CR2032 battery lasts about 18 months with typical use. The app notifies you when the level drops to 15%. The remote stays paired when you change the battery. Keep coin cells away from children.",
);

const SPECS = source(
  3,
  ["Technical Specifications"],
  "The hub weighs 320 g. Its indoor range is up to 20 m from the hub. The remote weighs 38 g and is 12 mm thick.",
);

/** Sources as retrieval ranks them: `n` follows the order given. */
async function compose(question: string, sources: Source[], composer = new ExtractiveComposer(), language = "en") {
  return composer.compose({ question, language, sources: sources.map((s, i) => ({ ...s, n: i + 1 })) });
}

describe("ExtractiveComposer", () => {
  it("is the extractive kind and never degraded", async () => {
    const composer = new ExtractiveComposer();
    expect(composer.kind).toBe("extractive");
    expect((await compose("How long does the battery last?", [BATTERY], composer)).degraded).toBe(false);
  });

  it("starts at the question-relevant sentence, continues its paragraph within the budget, and cites it", async () => {
    const a = await compose("How long does the battery last?", [BATTERY, PAIRING]);
    expect(a.refused).toBe(false);
    expect(a.text.startsWith("The CR2032 battery lasts about 18 months with typical use. [1] The app notifies you")).toBe(true);
    expect(a.text).not.toContain("Pull the plastic");
    expect(a.text).not.toContain("[2]");
    expect(a.text).not.toMatch(/source 1/i);
    const short = await compose("How long does the battery last?", [BATTERY], new ExtractiveComposer({ maxWords: 12 }));
    expect(short.text).toBe("The CR2032 battery lasts about 18 months with typical use. [1]");
  });

  it("stops a passage at a paragraph break and takes the menu path that introduces it", async () => {
    const manual = source(
      1,
      ["Accessibility"],
      [
        "Settings", "General", "Accessibility", "High Contrast",
        "You can change the menus to white text on a black background. To activate this function, set",
        "High Contrast", "to On.",
        "",
        "Enlarge", "You can enlarge the font on the screen.",
      ].join("\n"),
    );
    const a = await compose("How do I turn on high contrast?", [manual], new ExtractiveComposer({ maxBackWords: 40 }));
    expect(a.text.split("\n")[0]).toBe("Settings > General > Accessibility > High Contrast [1]");
    expect(a.text).toContain("set High Contrast to On. [1]");
    expect(a.text).not.toContain("enlarge");
    expect(verifyAnswer(a.text, [manual]).removed).toEqual([]);
  });

  it("joins hard-wrapped lines back into whole sentences", async () => {
    const wrapped = source(1, ["Sound"], "You can output the sound of the TV\nthrough the speakers of a soundbar when\nthe soundbar is connected.");
    const a = await compose("How do I use a soundbar?", [wrapped]);
    expect(a.text).toBe("You can output the sound of the TV through the speakers of a soundbar when the soundbar is connected. [1]");
  });

  it("keeps a numbered procedure whole, in order, one step per line, with its lead-in", async () => {
    const a = await compose("How do I pair the remote?", [PAIRING, BATTERY]);
    const lines = a.text.split("\n");
    expect(lines).toEqual([
      "Pair it after the hub setup is complete: [1]",
      "1. Pull the plastic battery tab out of the remote. [1]",
      "2. In the app, go to Devices > Add Device > Remote. [1]",
      "3. Press and hold Home and Brightness down together for 5 seconds until the LED blinks green. [1]",
      "4. The app shows the remote within about 30 seconds. [1]",
    ]);
  });

  it("caps long procedures at maxSteps items", async () => {
    const steps = Array.from({ length: 12 }, (_, i) => `${i + 1}. Tap step ${i + 1} of the firmware update.`).join("\n");
    const long = source(1, ["Firmware Update"], `To update the firmware:\n${steps}`);
    const a = await compose("How do I update the firmware?", [long], new ExtractiveComposer({ maxSteps: 5 }));
    const items = a.text.split("\n").filter((l) => /^\d+\./.test(l));
    expect(items).toHaveLength(5);
    expect(items[0]).toMatch(/^1\. /);
  });

  it("adds a sentence from a lower-ranked source only when it brings new question terms", async () => {
    const composer = new ExtractiveComposer({ extraSources: 2, maxWords: 12, minNewTermShare: 0.2 });
    const a = await compose("How long does the remote battery last, and what is its range?", [BATTERY, SPECS], composer);
    expect(a.text).toContain("The CR2032 battery lasts about 18 months with typical use. [1]");
    expect(a.text).toContain("\nIts indoor range is up to 20 m from the hub. [2]");
    expect(a.text).not.toContain("weighs");
    expect(a.text).not.toContain("coin cells");
    expect((await compose("How long does the remote battery last, and what is its range?", [BATTERY, SPECS])).text).not.toContain("[2]");

    const redundant = source(2, ["FAQ"], "A CR2032 battery lasts about 18 months in the remote.");
    const b = await compose("How long does the remote battery last?", [BATTERY, redundant], new ExtractiveComposer({ extraSources: 2 }));
    expect(b.text).not.toContain("[2]");
  });

  it("respects maxSentences and maxWords", async () => {
    const many = source(
      1,
      ["Battery"],
      "The battery lasts 18 months. The battery is a CR2032 cell. Battery level shows in the app. The battery cover has a screw. Replace the battery when the LED blinks red.",
    );
    const two = await compose("battery", [many], new ExtractiveComposer({ maxSentences: 2 }));
    expect(two.text.match(/\[1\]/g)).toHaveLength(2);
    const short = await compose("battery", [many], new ExtractiveComposer({ maxWords: 10 }));
    expect(wordCount(short.text.replace(/\[\d+\]/g, ""))).toBeLessThanOrEqual(12);
  });

  it("refuses with empty text when no sentence shares a term with the question", async () => {
    const a = await compose("Can I pay with a voucher?", [BATTERY, SPECS]);
    expect(a).toEqual({ text: "", refused: true, degraded: false });
    expect((await compose("How long does the battery last?", [])).refused).toBe(true);
  });

  it("prefers the top-ranked source when sentences match equally", async () => {
    const first = source(1, ["Scenes"], "A home can have up to 200 scenes.");
    const second = source(2, ["Scenes"], "A home can have up to 300 scenes.");
    const a = await compose("How many scenes can a home have?", [first, second]);
    expect(a.text).toBe("A home can have up to 200 scenes. [1]");
  });

  it("quotes only sources whose retrieval score is close to the top source's", async () => {
    const top = source(1, ["Error Codes"], "Error E4 means the hub lost its network connection.", 1);
    const weak = source(2, ["If the Hub Overheats"], "If the hub overheats, unplug the hub and let it cool for 30 minutes.", 0.6);
    const question = "What should I do if the hub overheats?";
    const a = await compose(question, [top, weak]);
    expect(a.text).toBe("Error E4 means the hub lost its network connection. [1]");
    // Close scores: the sentence that answers best wins, as before.
    expect((await compose(question, [top, { ...weak, score: 0.95 }])).text).toContain("let it cool for 30 minutes. [2]");
    // The share is an option; 0 quotes every source.
    expect((await compose(question, [top, weak], new ExtractiveComposer({ minSourceScore: 0 }))).text).toContain("[2]");
    // A weak source alone is still the top one.
    expect((await compose(question, [{ ...weak, score: 0.1 }])).text).toContain("[1]");
    // Without a usable scale (all scores 0), every source is quoted.
    expect((await compose(question, [{ ...top, score: 0 }, { ...weak, score: 0 }])).text).toContain("[2]");
  });

  it("prefers a sentence in a section whose title matches the question over an equal one ranked higher", async () => {
    const other = source(1, ["Error Codes"], "Unplug the hub and wait for 30 minutes.");
    const section = source(2, ["If the Hub Overheats"], "Unplug the hub and let it cool for 30 minutes.");
    const a = await compose("What should I do if the hub overheats?", [other, section]);
    expect(a.text).toContain("[2]");
    expect(a.text).not.toContain("[1]");
  });

  it("writes Chinese replies with markers right after 。 and keeps steps", async () => {
    const zh = source(
      1,
      ["恢复出厂设置"],
      "恢复出厂设置会清除集线器上的所有设置和数据。\n\n通过应用（推荐）：\n1. 进入“设置 > 集线器 > 高级 > 恢复出厂设置”。\n2. 输入账户密码进行确认。\n\n本产品的外壳可以回收。",
    );
    const a = await compose("如何恢复出厂设置？", [zh], new ExtractiveComposer(), "zh");
    expect(a.text).toContain("通过应用（推荐）：[1]\n1. 进入“设置 > 集线器 > 高级 > 恢复出厂设置”。[1]\n2. 输入账户密码进行确认。[1]");
    expect(a.text).not.toContain("回收");
  });

  it("does not let bracketed numbers in the manual pass as citations", async () => {
    const note = source(1, ["Battery"], "The battery lasts about 18 months [2].");
    const a = await compose("How long does the battery last?", [note]);
    expect(a.text).toBe("The battery lasts about 18 months (2). [1]");
  });

  it("produces replies that citation verification keeps unchanged", async () => {
    const sources = [PAIRING, BATTERY, SPECS];
    for (const question of ["How do I pair the remote?", "How long does the remote battery last, and what is its range?", "How do I reset the remote?"]) {
      const a = await compose(question, sources);
      const v = verifyAnswer(a.text, sources);
      expect(v.removed).toEqual([]);
      expect(v.refused).toBe(false);
    }
  });

  it("streams the reply through onToken", async () => {
    const deltas: string[] = [];
    const a = await new ExtractiveComposer().compose({ question: "battery life", language: "en", sources: [BATTERY], onToken: (d) => deltas.push(d) });
    expect(deltas.join("")).toBe(a.text);
  });
});

describe("splitSource with a memo", () => {
  it("hands each answer its own sentences: what one answer marks never shows in the next", () => {
    const memo = new BoundedMemo<readonly Sentence[]>(8);
    const first = splitSource(PAIRING, 0, "en", memo);
    for (const s of first.sentences) Object.assign(s, { own: true, score: 5 });
    const second = splitSource(PAIRING, 1, "en", memo);
    expect(second.sentences.map((s) => [s.own, s.score])).toEqual(first.sentences.map(() => [false, 0]));
    expect(second.sentences.map((s) => s.text)).toEqual(splitSource(PAIRING, 1, "en").sentences.map((s) => s.text));
    expect(memo.size).toBe(1);
  });
});
