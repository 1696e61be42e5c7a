import { describe, expect, it } from "vitest";
import { splitSection, type SectionPiece, type SplitOptions } from "../../../ingest/chunking/split.js";
import { InvalidInputError } from "../../../src/errors.js";
import { paragraphSpans, sentenceSpans } from "../../../src/text/sentences.js";
import { countTokens } from "../../../src/text/tokens.js";
import { seededRandom } from "../../../src/eval/metrics.js";

const rng = seededRandom;

const WORDS = ["press", "the", "remote", "button", "settings", "menu", "cable", "display", "firmware", "update", "reset", "power", "signal", "wireless", "connection", "approximately", "configuration"];
const HAN = "请按下遥控器上的电源按钮然后选择设置菜单检查连接状态并重新启动设备显示屏会亮起";

function generate(seed: number): string {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const words = (n: number): string => Array.from({ length: n }, () => pick(WORDS)).join(" ");
  const sentence = (): string => {
    const s = words(4 + Math.floor(r() * 18));
    return `${s.charAt(0).toUpperCase()}${s.slice(1)}${pick([".", ".", "!", "?"])}`;
  };
  const han = (n: number): string => Array.from({ length: n }, () => pick([...HAN])).join("");
  const kinds: Array<() => string> = [
    () => Array.from({ length: 1 + Math.floor(r() * 12) }, sentence).join(" "),
    () => Array.from({ length: 2 + Math.floor(r() * 15) }, (_, i) => `${i + 1}. ${sentence()} ${r() < 0.4 ? sentence() : ""}`).join("\n"),
    () => Array.from({ length: 2 + Math.floor(r() * 6) }, () => `- ${words(3 + Math.floor(r() * 8))}`).join("\n"),
    () => `${words(300 + Math.floor(r() * 400))}`, // one sentence far longer than any chunk
    () => Array.from({ length: 2 + Math.floor(r() * 20) }, () => `${han(8 + Math.floor(r() * 40))}${pick(["。", "！", "？", "；"])}`).join(""),
    () => han(500 + Math.floor(r() * 300)), // CJK without any punctuation
    () => `${sentence()} ${han(20)}。${sentence()} ${"x".repeat(3000)} ${sentence()}`,
    () => `Heading line\n${sentence()}\nwrapped ${words(5)}\n${sentence()}`,
  ];
  return Array.from({ length: 3 + Math.floor(r() * 8) }, () => pick(kinds)()).join(r() < 0.5 ? "\n\n" : "\n\n\n");
}

/** Sentence starts and ends as the splitter sees them (sentences are segmented paragraph by paragraph). */
function sentenceBounds(text: string): { starts: Set<number>; ends: Set<number> } {
  const starts = new Set<number>();
  const ends = new Set<number>();
  for (const p of paragraphSpans(text)) {
    for (const s of sentenceSpans(text.slice(p.start, p.end))) {
      starts.add(p.start + s.start);
      ends.add(p.start + s.end);
    }
  }
  return { starts, ends };
}

function checkInvariants(text: string, pieces: SectionPiece[], opts: SplitOptions): void {
  const { starts, ends } = sentenceBounds(text);
  let covered = 0;
  pieces.forEach((p, i) => {
    expect(p.text).toBe(text.slice(p.start, p.end));
    expect(p.text).toBe(p.text.trim());
    expect(p.text.length).toBeGreaterThan(0);
    // No text lost: whatever lies between covered text and this chunk is whitespace.
    if (p.start > covered) expect(text.slice(covered, p.start).trim()).toBe("");
    const prev = pieces[i - 1];
    if (prev) {
      expect(p.start).toBeGreaterThan(prev.start);
      expect(p.end).toBeGreaterThan(prev.end);
      if (p.start < prev.end) {
        // Overlap: whole sentences of the previous chunk within the budget.
        expect(countTokens(text.slice(p.start, prev.end))).toBeLessThanOrEqual(opts.overlapTokens);
        expect(starts.has(p.start)).toBe(true);
        expect(ends.has(prev.end)).toBe(true);
      }
    }
    const limit = i === pieces.length - 1 ? Math.floor(opts.maxTokens * 1.1) : opts.maxTokens;
    expect(countTokens(p.text)).toBeLessThanOrEqual(limit);
    covered = Math.max(covered, p.end);
  });
  expect(text.slice(covered).trim()).toBe("");
}

describe("splitSection", () => {
  const settings: SplitOptions[] = [
    { maxTokens: 300, overlapTokens: 45 },
    { maxTokens: 60, overlapTokens: 12 },
    { maxTokens: 25, overlapTokens: 0 },
    { maxTokens: 120, overlapTokens: 30, language: "zh" },
  ];

  it("keeps every invariant over generated inputs (lists, long sentences, CJK, mixed)", () => {
    for (let seed = 1; seed <= 25; seed++) {
      const text = generate(seed);
      for (const opts of settings) checkInvariants(text, splitSection(text, opts), opts);
    }
  });

  it("keeps a short section in one chunk and returns nothing for blank text", () => {
    expect(splitSection("  Just one line.  ", { maxTokens: 50, overlapTokens: 5 })).toEqual([
      { text: "Just one line.", start: 2, end: 16 },
    ]);
    expect(splitSection(" \n\n ", { maxTokens: 50, overlapTokens: 5 })).toEqual([]);
  });

  it("packs whole paragraphs and breaks between them", () => {
    const para = (tag: string): string => `${tag} starts here. ${"Filler words keep going on. ".repeat(5).trim()}`;
    const text = [para("Alpha"), para("Beta"), para("Gamma")].join("\n\n");
    const tokens = countTokens(para("Alpha"));
    const pieces = splitSection(text, { maxTokens: tokens * 2 + 5, overlapTokens: 0 });
    expect(pieces.map((p) => p.text)).toEqual([`${para("Alpha")}\n\n${para("Beta")}`, para("Gamma")]);
  });

  it("cuts a single over-long sentence at word boundaries into fitting pieces", () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`);
    const text = words.join(" ");
    const pieces = splitSection(text, { maxTokens: 50, overlapTokens: 10 });
    expect(pieces.length).toBeGreaterThan(5);
    for (const p of pieces) {
      expect(countTokens(p.text)).toBeLessThanOrEqual(50);
      for (const w of p.text.split(" ")) expect(words).toContain(w);
    }
    // Pieces of one sentence are not whole sentences, so they never overlap.
    for (let i = 1; i < pieces.length; i++) expect(pieces[i]?.start).toBeGreaterThanOrEqual(pieces[i - 1]?.end ?? 0);
    expect(pieces.map((p) => p.text).join(" ")).toBe(text);
  });

  it("cuts unpunctuated CJK by characters", () => {
    const text = HAN.repeat(10);
    const pieces = splitSection(text, { maxTokens: 40, overlapTokens: 8, language: "zh" });
    expect(pieces.map((p) => p.text).join("")).toBe(text);
    for (const p of pieces.slice(0, -1)) expect(countTokens(p.text)).toBe(40);
  });

  it("chunks Chinese sentences at 。 boundaries with sensible sizes", () => {
    const sentences = Array.from({ length: 40 }, (_, i) => `${HAN.slice(i % 10, (i % 10) + 12 + (i % 7))}。`);
    const text = sentences.join("");
    const pieces = splitSection(text, { maxTokens: 80, overlapTokens: 20, language: "zh" });
    checkInvariants(text, pieces, { maxTokens: 80, overlapTokens: 20 });
    expect(pieces.length).toBeGreaterThan(4);
    for (const p of pieces) {
      expect(p.text.endsWith("。")).toBe(true);
      expect(sentences.some((s) => p.text.startsWith(s))).toBe(true);
    }
    for (const p of pieces.slice(0, -1)) expect(countTokens(p.text)).toBeGreaterThan(40);
  });

  it("overlaps with trailing whole sentences within the budget", () => {
    const text = Array.from({ length: 30 }, (_, i) => `Sentence number ${i} is short.`).join(" ");
    const perSentence = countTokens("Sentence number 1 is short.");
    const pieces = splitSection(text, { maxTokens: 40, overlapTokens: 12 });
    expect(pieces.length).toBeGreaterThan(3);
    for (let i = 1; i < pieces.length; i++) {
      const prev = pieces[i - 1];
      const cur = pieces[i];
      if (!prev || !cur) continue;
      const shared = text.slice(cur.start, prev.end);
      expect(countTokens(shared)).toBe(perSentence * Math.floor(12 / perSentence));
      expect(shared).toMatch(/^Sentence number \d+ is short\.$/);
    }
  });

  it("adds no overlap when the last sentence alone exceeds the budget", () => {
    const text = Array.from({ length: 20 }, (_, i) => `Sentence ${i} ${"is rather long and wordy ".repeat(3).trim()}.`).join(" ");
    const pieces = splitSection(text, { maxTokens: 60, overlapTokens: 10 });
    expect(pieces.length).toBeGreaterThan(3);
    for (let i = 1; i < pieces.length; i++) expect(pieces[i]?.start).toBeGreaterThan(pieces[i - 1]?.end ?? 0);
  });

  it("never splits a numbered step, even inside an over-long list", () => {
    const steps = Array.from({ length: 25 }, (_, i) => `${i + 1}. Press the button labelled ${i}. The screen shows option ${i}.`);
    const text = `To configure the device:\n${steps.join("\n")}`;
    const pieces = splitSection(text, { maxTokens: 45, overlapTokens: 10 });
    expect(pieces.length).toBeGreaterThan(3);
    let from = 0;
    for (const step of steps) {
      const at = text.indexOf(step, from);
      from = at + step.length;
      expect(pieces.some((p) => p.start <= at && p.end >= at + step.length)).toBe(true);
    }
    const stepEnds = new Set(steps.map((s) => text.indexOf(s) + s.length));
    for (const p of pieces) expect(stepEnds.has(p.end)).toBe(true);
  });

  it("merges a very small trailing piece into the previous chunk", () => {
    const body = Array.from({ length: 9 }, (_, i) => `Line ${i} has a few words.`).join(" ");
    const text = `${body}\n\nEnd.`;
    const max = countTokens(body) + 1;
    const pieces = splitSection(text, { maxTokens: max, overlapTokens: 0 });
    expect(pieces).toHaveLength(1);
    expect(pieces[0]?.text).toBe(text);
    expect(countTokens(text)).toBeGreaterThan(max);
  });

  it("rejects invalid options", () => {
    expect(() => splitSection("x", { maxTokens: 0, overlapTokens: 0 })).toThrow(InvalidInputError);
    expect(() => splitSection("x", { maxTokens: 10, overlapTokens: 10 })).toThrow(InvalidInputError);
    expect(() => splitSection("x", { maxTokens: 10.5, overlapTokens: 1 })).toThrow(InvalidInputError);
  });

  it("is deterministic", () => {
    const text = generate(99);
    expect(splitSection(text, { maxTokens: 80, overlapTokens: 15 })).toEqual(splitSection(text, { maxTokens: 80, overlapTokens: 15 }));
  });

  it("completes on about 1 MB of text", () => {
    let text = "";
    for (let seed = 1000; text.length < 1_000_000; seed++) text += `${generate(seed)}\n\n`;
    const pieces = splitSection(text, { maxTokens: 300, overlapTokens: 45 });
    expect(pieces.length).toBeGreaterThan(1000);
    expect(pieces[pieces.length - 1]?.end).toBe(text.trimEnd().length);
  });
});
