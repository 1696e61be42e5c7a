import { describe, expect, it } from "vitest";
import { loadText } from "../../../ingest/loaders/text.js";

const input = { fileName: "guide.txt", id: "guide.txt" };
const NBSP = "\u00a0";

// The shape of a w3m/lynx dump of a DocBook manual: a contents list, chapter headings, indented prose, a console
// example, footnote marks, a definition list and character rules.
const GUIDE = [
  "                     Widget Guide",
  "-------------------------------------------",
  "Table of Contents",
  "1. Basics\n    1.1. Parts\n2. Cleaning",
  `Chapter${NBSP}1.${NBSP}Basics`,
  "Table of Contents",
  "1.1. Parts",
  "    A widget has two halves.",
  `1.1.${NBSP}Parts`,
  "    The lid clips onto the base. The first ^[1] thing to do is to check\n    the file /usr/share/\n    widget/README before use. It\n\u00a0\u00a0\u00a0 breaks seldom. ^[2].",
  `Chapter${NBSP}2.${NBSP}Cleaning`,
  "    Clean the widget weekly. For instance,",
  "    # widget-clean --all\n    Cleaning lid... done\n    Cleaning base... done",
  "    Two modes exist:",
  "    gentle",
  "        Gentle mode never removes the coating. It takes\n        twice as long.",
  "-------------------------------------------",
  "    ^[1] Unless the widget is new.",
].join("\n\n");

describe("loadText on a text dump of a manual", () => {
  const doc = loadText(GUIDE, input);
  const byPath = new Map(doc.sections.map((s) => [s.path.join(" > "), s]));

  it("opens a section at each numbered heading and drops the contents lists and rules", () => {
    expect(doc.sections.map((s) => s.path.join(" > "))).toEqual(["", "Chapter 1. Basics", "Chapter 1. Basics > 1.1. Parts", "Chapter 2. Cleaning"]);
    expect(byPath.get("Chapter 1. Basics")?.text.trim()).toBe("A widget has two halves.");
    expect(doc.sections.map((s) => s.text).join("\n")).not.toMatch(/-{10}|Table of Contents/);
  });

  it("drops footnote marks, joins a path broken after its slash and reflows a hard-wrapped paragraph", () => {
    expect(byPath.get("Chapter 1. Basics > 1.1. Parts")?.text).toBe(
      "The lid clips onto the base. The first thing to do is to check the file /usr/share/widget/README before use. It breaks seldom.",
    );
  });

  it("keeps a console example as a code block, and starts a definition with its term", () => {
    const section = byPath.get("Chapter 2. Cleaning");
    const code = section?.blocks?.find((b) => b.kind === "code");
    expect(code && section?.text.slice(code.start, code.end)).toBe("# widget-clean --all\n    Cleaning lid... done\n    Cleaning base... done".replace(/\n {4}/g, "\n"));
    expect(section?.text).toContain("gentle: Gentle mode never removes the coating. It takes twice as long.");
  });

  it("leaves text without an outline (a numbered list of steps) as one section", () => {
    const steps = loadText("Setup\n\n1. Open the lid\n\n2. Press the button\n\nDone.", input);
    expect(steps.sections).toEqual([{ path: [], text: "Setup\n\n1. Open the lid\n\n2. Press the button\n\nDone." }]);
  });
});

// A text dump of a Chinese FAQ, made up: the contents list's long entries wrap onto a second line, body headings
// wrap too (w3m breaks a long heading like any line), chapters are "第 N 章", and Chinese prose wraps between two
// characters, where no space belongs.
const FAQ = [
  "目录",
  [
    "1. 基础",
    "    1.1. 这个小工具是什么？",
    "    1.2. 我有一台已经装好小工具的机器和一个很长很长的问题标题，怎么知",
    "    道它正在运行哪个版本？",
    "2. 维护",
    "    2.1. 如何清洁？",
  ].join("\n"),
  `第${NBSP}1${NBSP}章${NBSP}基础`,
  `1.1.${NBSP}这个小工具是什么？`,
  "    它是一个用来演示的小工具，可以放在桌面上，也可以挂在墙上，用途很\n    多。",
  `1.2.${NBSP}我有一台已经装好小工具的机器和一个很长很长的问题标题，怎么知\n道它正在运行哪个版本？`,
  "    查看 /etc/widget/version 文件，它只有一行，给出了版本号，是由软件\n    包 widget-base 定义的（main、\n    non-free）。",
  `第${NBSP}2${NBSP}章${NBSP}维护`,
  `2.1.${NBSP}如何清洁？`,
  "    每周用软布擦拭一次。",
].join("\n\n");

describe("loadText on a Chinese text dump", () => {
  const doc = loadText(FAQ, { fileName: "faq.txt", id: "faq.txt" });
  const byPath = new Map(doc.sections.map((s) => [s.path.at(-1) ?? "", s]));

  it("reads a wrapped heading as one heading, and 第 N 章 as a chapter", () => {
    // (a chapter heading with no text of its own before its first section opens no section)
    expect(doc.sections.map((s) => s.path.join(" > "))).toEqual([
      "第 1 章 基础 > 1.1. 这个小工具是什么？",
      "第 1 章 基础 > 1.2. 我有一台已经装好小工具的机器和一个很长很长的问题标题，怎么知道它正在运行哪个版本？",
      "第 2 章 维护 > 2.1. 如何清洁？",
    ]);
  });

  it("drops a contents list whose entries wrap", () => {
    expect(doc.sections.map((s) => s.text).join("\n")).not.toContain("如何清洁？");
  });

  it("joins a line wrapped between two Chinese characters without a space", () => {
    expect(byPath.get("1.1. 这个小工具是什么？")?.text).toBe("它是一个用来演示的小工具，可以放在桌面上，也可以挂在墙上，用途很多。");
    expect(byPath.get("1.2. 我有一台已经装好小工具的机器和一个很长很长的问题标题，怎么知道它正在运行哪个版本？")?.text).toBe(
      "查看 /etc/widget/version 文件，它只有一行，给出了版本号，是由软件包 widget-base 定义的（main、non-free）。",
    );
  });
});

describe("loadText on wrapped English headings", () => {
  const text = [
    "1. Setup",
    "    Unpack the widget.",
    "1.1. What do I do when the widget blinks twice and then stays dark for a",
    "long time?",
    "    Hold the button for ten seconds.",
    "1.2. Cleaning",
    "    Wipe it weekly.",
  ];

  it("joins a long numbered heading wrapped onto a second line", () => {
    const doc = loadText([text[0], text[1], `${text[2]}\n${text[3]}`, ...text.slice(4)].join("\n\n"), input);
    expect(doc.sections.map((s) => s.path.at(-1))).toEqual([
      "1. Setup",
      "1.1. What do I do when the widget blinks twice and then stays dark for a long time?",
      "1.2. Cleaning",
    ]);
  });

  it("keeps a short numbered step that runs onto a second line as text, not a heading", () => {
    const doc = loadText(["1. Setup", "1.1. Parts", "    Two halves.", "2. Open the lid and\npress the button", "2.1. Done", "    Ready."].join("\n\n"), input);
    expect(doc.sections.map((s) => s.path.at(-1))).not.toContain("2. Open the lid and press the button");
    expect(doc.sections.map((s) => s.text).join("\n")).toContain("Open the lid and");
  });
});

describe("loadText on list items wrapped with a hanging indent", () => {
  const dump = [
    "1. Parts",
    "    The widget has:",
    "      * 全功能的：小工具包含了超过 100 个零件。用户可以选择\n        安装哪些零件。",
    "      * A lid that clips onto the base and\n        never breaks.\n      * A base.",
    "1.1. Care",
    "    小工具的盖子坏了/\n    不工作时，请更换。",
  ].join("\n\n");
  const doc = loadText(dump, input);
  const text = doc.sections.map((s) => s.text).join("\n");

  it("joins each item's lines and keeps the items on lines of their own", () => {
    expect(text).toContain("* 全功能的：小工具包含了超过 100 个零件。用户可以选择安装哪些零件。");
    expect(text).toMatch(/\* A lid that clips onto the base and never breaks\.\n\s*\* A base\./);
  });

  it("joins a line broken after a slash without a space", () => {
    expect(text).toContain("小工具的盖子坏了/不工作时，请更换。");
  });
});

describe("loadText on long and exclaiming FAQ headings", () => {
  it("reads a heading wrapped over three lines, and one that ends in an exclamation, as headings", () => {
    const long = `2.1.${NBSP}我想面向一个很特别的市场发布一个特殊的小工具套装。我可以使用这个小工具作为\n套装的核心部分，并在上层添加我自己设计的零件、配件和说明书，然后在网上商店里\n面出售吗？`;
    const exclaim = `2.2.${NBSP}为什么官方的小工具包装里含有指向“旧版”和“新版”的说明书？我以为这个包装里只\n有“稳定版”！`;
    const doc = loadText(["2. 市场", long, "    可以。", exclaim, "    这是历史原因。"].join("\n\n"), input);
    expect(doc.sections.map((s) => s.path.at(-1))).toEqual([
      "2.1. 我想面向一个很特别的市场发布一个特殊的小工具套装。我可以使用这个小工具作为套装的核心部分，并在上层添加我自己设计的零件、配件和说明书，然后在网上商店里面出售吗？",
      "2.2. 为什么官方的小工具包装里含有指向“旧版”和“新版”的说明书？我以为这个包装里只有“稳定版”！",
    ]);
  });
});
