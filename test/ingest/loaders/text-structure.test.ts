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
  "        Gentle mode never removes the coating.",
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
    expect(section?.text).toContain("gentle: Gentle mode never removes the coating.");
  });

  it("leaves text without an outline (a numbered list of steps) as one section", () => {
    const steps = loadText("Setup\n\n1. Open the lid\n\n2. Press the button\n\nDone.", input);
    expect(steps.sections).toEqual([{ path: [], text: "Setup\n\n1. Open the lid\n\n2. Press the button\n\nDone." }]);
  });
});
