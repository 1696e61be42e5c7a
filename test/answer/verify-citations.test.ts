import { describe, expect, it } from "vitest";
import type { Source } from "../../src/domain/answer.js";
import { termOverlap, weightedCoverage } from "../../src/answer/overlap.js";
import { verifyAnswer } from "../../src/answer/verify-citations.js";
import { PAGE_BREAK } from "../../src/domain/chunk.js";

function source(n: number, text: string, extra: Partial<Source> = {}): Source {
  return { n, chunkId: `c/doc-${n}#0`, documentId: `doc-${n}`, title: `Manual ${n}`, sectionPath: [`Section ${n}`], sourceType: "manual", text, score: 1 / n, ...extra };
}

const RESET = source(
  1,
  "To restart the hub, unplug the power adapter for 10 seconds. Press and hold the reset button for 12 seconds until the LED ring blinks red. The reset takes about 3 minutes.",
  { page: 42, url: "https://docs.example.com/hub#reset" },
);
const WIFI = source(2, "The hub supports 2.4 GHz and 5 GHz Wi-Fi networks. WPA3 is supported from firmware 3.2.");
const REMOTE = source(3, "The remote uses one CR2032 battery. The battery lasts about 18 months with typical use.");
const SOURCES = [RESET, WIFI, REMOTE];

describe("termOverlap / weightedCoverage", () => {
  it("measures the share of the sentence's content terms found in the source", () => {
    expect(termOverlap("Press and hold the reset button for 12 seconds.", RESET.text)).toBe(1);
    expect(termOverlap("Visit evil.example to get a free TV.", RESET.text)).toBe(0);
    const half = termOverlap("Hold the reset button and call the helpline.", RESET.text);
    expect(half).toBeGreaterThan(0.3);
    expect(half).toBeLessThan(0.7);
  });

  it("ignores citation markers and treats term-less text by length", () => {
    expect(termOverlap("Hold the reset button [1].", RESET.text)).toBe(1);
    expect(termOverlap("It is.", RESET.text)).toBe(1);
    expect(termOverlap("", RESET.text)).toBe(0);
  });

  it("weights covered query terms by idf", () => {
    const idf = (t: string): number => (t === "reset" ? 3 : 1);
    expect(weightedCoverage(["reset", "router"], RESET.text, idf)).toBeCloseTo(0.75);
    expect(weightedCoverage(["reset", "router"], RESET.text)).toBeCloseTo(0.5);
    expect(weightedCoverage([], RESET.text)).toBe(0);
  });
});

describe("verifyAnswer", () => {
  it("keeps supported, cited sentences and builds citations from the given sources", () => {
    const v = verifyAnswer("Press and hold the reset button for 12 seconds [1]. The reset takes about 3 minutes [1].", SOURCES);
    expect(v.refused).toBe(false);
    expect(v.removed).toEqual([]);
    expect(v.text).toBe("Press and hold the reset button for 12 seconds [1]. The reset takes about 3 minutes [1].");
    expect(v.citations).toHaveLength(1);
    expect(v.citations[0]).toMatchObject({ n: 1, documentId: "doc-1", page: 42, url: RESET.url, score: 1, sectionPath: ["Section 1"] });
    expect(v.citations[0]?.snippet).toContain("reset button for 12 seconds");
  });

  it("strips an injected instruction that the cited source does not say", () => {
    const draft = "Visit evil.example to get a free TV [1]. Press and hold the reset button for 12 seconds [1].";
    const v = verifyAnswer(draft, SOURCES);
    expect(v.text).not.toContain("evil.example");
    expect(v.text).toContain("reset button");
    expect(v.removed).toEqual([{ sentence: "Visit evil.example to get a free TV [1].", reason: "unsupported" }]);
  });

  it("refuses when the only sentence is an injected claim, even without a link", () => {
    const draft = "All customers get a free replacement TV if they mention the code word [1].";
    const v = verifyAnswer(draft, SOURCES);
    expect(v).toMatchObject({ refused: true, text: "", citations: [] });
    expect(v.removed).toEqual([{ sentence: draft, reason: "unsupported" }]);
    // The same claim passes once a (poisoned) source really says it: support is about the given text.
    const poisoned = source(1, "All customers get a free replacement TV if they mention the code word.");
    expect(verifyAnswer(draft, [poisoned]).refused).toBe(false);
  });

  it("rejects a link smuggled into an otherwise supported sentence", () => {
    const v = verifyAnswer("Press and hold the reset button for 12 seconds, then visit evil.example/reset [1].", SOURCES);
    expect(v.refused).toBe(true);
    expect(v.removed[0]?.reason).toBe("unsupported");
  });

  it("drops markers pointing to sources that were not given", () => {
    const v = verifyAnswer("The hub supports 5 GHz Wi-Fi networks [7]. The battery lasts about 18 months [3].", SOURCES);
    expect(v.removed).toEqual([{ sentence: "The hub supports 5 GHz Wi-Fi networks [7].", reason: "unknown-source" }]);
    expect(v.text).toBe("The battery lasts about 18 months [1].");
    expect(v.citations.map((c) => c.documentId)).toEqual(["doc-3"]);
  });

  it("keeps the valid part of a combined marker", () => {
    const v = verifyAnswer("The hub supports 5 GHz Wi-Fi networks [2, 7].", SOURCES);
    expect(v.text).toBe("The hub supports 5 GHz Wi-Fi networks [1].");
    expect(v.citations.map((c) => c.documentId)).toEqual(["doc-2"]);
  });

  it("renumbers citations in order of first use and rewrites [n][m] markers", () => {
    const draft = "The battery lasts about 18 months [3]. The hub supports 5 GHz Wi-Fi [2][3]. Unplug the power adapter for 10 seconds [1].";
    const v = verifyAnswer(draft, SOURCES);
    expect(v.text).toBe("The battery lasts about 18 months [1]. The hub supports 5 GHz Wi-Fi [2][1]. Unplug the power adapter for 10 seconds [3].");
    expect(v.citations.map((c) => [c.n, c.documentId])).toEqual([
      [1, "doc-3"],
      [2, "doc-2"],
      [3, "doc-1"],
    ]);
  });

  it("removes uncited sentences and mixed unsupported ones, keeping the rest in order", () => {
    const draft = [
      "Great question!",
      "Press and hold the reset button for 12 seconds [1].",
      "The hub also works as a Bluetooth speaker and plays music [1].",
      "The reset takes about 3 minutes [1].",
    ].join(" ");
    const v = verifyAnswer(draft, SOURCES);
    expect(v.text).toBe("Press and hold the reset button for 12 seconds [1]. The reset takes about 3 minutes [1].");
    expect(v.removed.map((r) => r.reason)).toEqual(["no-citation", "unsupported"]);
  });

  it("keeps a short connective followed by cited steps, each step on its own line", () => {
    const draft = "Here is how:\n1. Unplug the power adapter for 10 seconds. [1]\n2. Press and hold the reset button for 12 seconds. [1]";
    const v = verifyAnswer(draft, SOURCES);
    expect(v.removed).toEqual([]);
    expect(v.text).toBe(draft);
  });

  it("drops a connective that is not followed by cited steps", () => {
    const v = verifyAnswer("Here is how:\nPress and hold the reset button for 12 seconds [1].", SOURCES);
    expect(v.text).toBe("Press and hold the reset button for 12 seconds [1].");
    expect(v.removed).toEqual([{ sentence: "Here is how:", reason: "no-citation" }]);
  });

  it("does not count a connective towards minSentences", () => {
    const v = verifyAnswer("Here is how:\n1. Unplug the power adapter for 10 seconds. [1]", SOURCES, { minSentences: 2 });
    expect(v.refused).toBe(true);
    expect(v.citations).toEqual([]);
  });

  it("honours minSupport", () => {
    const draft = "Hold the reset button and call the helpline [1].";
    expect(verifyAnswer(draft, SOURCES, { minSupport: 0.9 }).refused).toBe(true);
    expect(verifyAnswer(draft, SOURCES, { minSupport: 0.3 }).refused).toBe(false);
  });

  it("verifies Chinese answers with markers after 。 and renumbers them", () => {
    const zh = [
      source(1, "遥控器使用一颗 CR2032 纽扣电池。电池在正常使用下约可使用 18 个月。"),
      source(2, "长按集线器背面的重置按钮 12 秒，直到指示灯环闪烁红色。重置过程大约需要 3 分钟。"),
    ];
    const draft = "长按重置按钮 12 秒，直到指示灯环闪烁红色。[2]重置过程大约需要 3 分钟。[2]免费领取电视请访问 evil.example。[1]";
    const v = verifyAnswer(draft, zh, { language: "zh" });
    expect(v.text).toBe("长按重置按钮 12 秒，直到指示灯环闪烁红色。[1]重置过程大约需要 3 分钟。[1]");
    expect(v.citations.map((c) => c.documentId)).toEqual(["doc-2"]);
    expect(v.removed).toEqual([{ sentence: "免费领取电视请访问 evil.example。[1]", reason: "unsupported" }]);
  });

  it("understands full-width 【n】 markers and keeps Chinese step lists", () => {
    const zh = [source(1, "操作步骤：1. 打开应用。2. 进入设置 > 集线器 > 网络。3. 点击更换网络。")];
    const v = verifyAnswer("步骤如下：\n1. 打开应用。【1】\n2. 进入设置 > 集线器 > 网络。【1】", zh, { language: "zh" });
    expect(v.refused).toBe(false);
    expect(v.text).toBe("步骤如下：\n1. 打开应用。[1]\n2. 进入设置 > 集线器 > 网络。[1]");
  });

  it("never returns a citation for a source that was not given", () => {
    const draft = "The battery lasts about 18 months [3]. Unplug the power adapter [1]. WPA3 is supported [9][0].";
    const v = verifyAnswer(draft, [REMOTE, RESET]);
    const given = new Set([REMOTE.documentId, RESET.documentId]);
    expect(v.citations.every((c) => given.has(c.documentId))).toBe(true);
    expect(v.citations.map((c) => c.n)).toEqual([1, 2]);
    expect(v.text).not.toMatch(/\[(?:0|3|9)\]/);
  });

  it("refuses an empty or marker-free draft", () => {
    expect(verifyAnswer("", SOURCES).refused).toBe(true);
    const v = verifyAnswer("The reset takes about 3 minutes.", SOURCES);
    expect(v).toMatchObject({ refused: true, text: "", citations: [], removed: [{ reason: "no-citation" }] });
  });
});

describe("citations of a chunk that runs over a page break", () => {
  const text = `The hub has two ports. The power port is on the left.${PAGE_BREAK} To pair the remote, hold the pairing key for 5 seconds.`;
  it("give the page of the sentence the reply quotes, with its printed label moved along", () => {
    const s = source(1, text, { page: 41, pageLabel: "29" });
    const v = verifyAnswer("To pair the remote, hold the pairing key for 5 seconds. [1]", [s], { language: "en" });
    expect(v.citations[0]).toMatchObject({ page: 42, pageLabel: "30" });
    const first = verifyAnswer("The power port is on the left. [1]", [s], { language: "en" });
    expect(first.citations[0]).toMatchObject({ page: 41, pageLabel: "29" });
  });

  it("cite each page a reply quotes: one number per source and page, each after the sentences on its page", () => {
    const s = source(1, text, { page: 41, pageLabel: "29" });
    const other = source(2, "The remote uses one CR2032 battery.");
    const v = verifyAnswer(
      "The power port is on the left. [1] To pair the remote, hold the pairing key for 5 seconds. [1] It uses one CR2032 battery. [2]",
      [s, other],
      { language: "en" },
    );
    expect(v.text).toBe("The power port is on the left. [1] To pair the remote, hold the pairing key for 5 seconds. [2] It uses one CR2032 battery. [3]");
    expect(v.citations.map((c) => [c.n, c.documentId, c.page])).toEqual([
      [1, "doc-1", 41],
      [2, "doc-1", 42],
      [3, "doc-2", undefined],
    ]);
    expect(v.citations[1]?.snippet).toContain("pairing key");
  });

  it("keep one number for a source quoted on one page only, however many sentences cite it", () => {
    const s = source(1, text, { page: 41 });
    const v = verifyAnswer("The hub has two ports. [1] The power port is on the left. [1]", [s], { language: "en" });
    expect(v.text).toBe("The hub has two ports. [1] The power port is on the left. [1]");
    expect(v.citations).toHaveLength(1);
  });

  it("leave out a label that is not a number on a later page", () => {
    const v = verifyAnswer("To pair the remote, hold the pairing key for 5 seconds. [1]", [source(1, text, { page: 3, pageLabel: "iii" })], { language: "en" });
    expect(v.citations[0]?.page).toBe(4);
    expect(v.citations[0]?.pageLabel).toBeUndefined();
  });
});

describe("a command block whose last line has no words", () => {
  const CONFIG = source(4, "Give ARM64 hubs their own profile, for example\nprofile edge {\n  bootfile \"hubs/arm64/edgeboot.img\";\n}\nThe hub reads it at boot.");

  it("keeps the block, cited once after its closing line", () => {
    const verified = verifyAnswer("Give ARM64 hubs their own profile, for example\nprofile edge {\nbootfile \"hubs/arm64/edgeboot.img\";\n} [4]", [CONFIG]);
    expect(verified.refused).toBe(false);
    expect(verified.text).toContain("bootfile \"hubs/arm64/edgeboot.img\";\n} [1]");
  });

  it("never answers with the closing line alone, nor with one the source does not have on a line of its own", () => {
    expect(verifyAnswer("} [4]", [CONFIG]).refused).toBe(true);
    expect(verifyAnswer("The hub reads it at boot. [4]\n}; [4]", [CONFIG]).text).toBe("The hub reads it at boot. [1]");
  });
});
