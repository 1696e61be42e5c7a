import { describe, expect, it } from "vitest";
import type { Source } from "../../src/domain/answer.js";
import { splitSource } from "../../src/answer/extractive-blocks.js";
import { composeVerified } from "./compose-stream.js";

/** Generated manual text only: nothing here is taken from a real manual. */
function source(n: number, text: string, sectionPath: string[] = ["Gadgets", "Maintenance"]): Source {
  return { n, chunkId: `c/doc-${n}#0`, documentId: `doc-${n}`, title: "Gadget guide", sectionPath, sourceType: "manual", text, score: 1 };
}

async function answer(question: string, text: string, language = "en"): Promise<string> {
  return (await composeVerified(question, [source(1, text)], { language })).text;
}

const unmarked = (text: string): string[] => text.split("\n").map((l) => l.replace(/\s*\[\d+\]$/, ""));

describe("a shell pipeline continued over lines is quoted as written", () => {
  const block = ["  gadgetctl list --all | \\", "  while read g; do gadgetctl ping \"$g\" | grep -q up || echo \"$g\"; done"];
  const text = [
    "Gadgets left over from an old setup do no harm, but they slow the scan down.",
    "",
    "To find gadgets that never answer a ping, run the following command as the gadget user:",
    ...block,
    "",
    "Remove the gadgets it prints with gadgetctl remove.",
  ].join("\n");

  it("keeps the first line (ending in a backslash) and every pipe", async () => {
    const lines = unmarked(await answer("How do I find gadgets that never answer a ping?", text));
    for (const l of block) expect(lines).toContain(l.trim());
    expect(lines.join("\n")).not.toContain("–");
  });
});

describe("a console session in a text file is quoted line by line", () => {
  const session = ["# gadget-get verify", "Scanning Gadget Lists... Done", "Checking Gadget Links... Done"];
  const text = [
    "Before every run the tool checks its own state. At any time this check can be started by running gadget-get verify.",
    "",
    ...session.map((l) => `    ${l}`),
    "",
    "The first step reads all gadget lists into memory.",
  ].join("\n");

  it("splits none of its lines at '...' and joins none of them", async () => {
    const lines = unmarked(await answer("How do I verify the gadget lists?", text));
    expect(lines).toContain(session[0]);
    for (const l of session.slice(1)) if (lines.some((x) => x.includes("Scanning"))) expect(lines).toContain(l);
    expect(lines.join("\n")).not.toMatch(/verify Scanning|Done Checking/);
  });

  it("quotes the first lines of a long session whose command the question asks about, and marks the cut", async () => {
    const output = Array.from({ length: 14 }, (_, k) => `gadget-${k + 1}: Needs: cable but it is missing`);
    const long = ["The tool can also list what is broken.", "", "$ gadget-get verify --broken", ...output, "", "Each line names a broken gadget."].join("\n");
    const a = await answer("How do I verify which gadgets are broken?", long);
    expect(unmarked(a)).toContain("$ gadget-get verify --broken");
    expect(a).toMatch(/ … \[1\]/);
    expect(a).not.toContain("gadget-14:");
  });

  it("marks its lines as a block, also a line that looks like a footnote or a list", () => {
    const doc = splitSource(source(1, ["$ gadget-get verify", "9volts: Needs: battery but it is missing", "- gadget-a: ok", "", "All is well."].join("\n")), 0, "en");
    const block = doc.sentences.slice(0, 3);
    expect(block.map((s) => s.text)).toEqual(["$ gadget-get verify", "9volts: Needs: battery but it is missing", "- gadget-a: ok"]);
    expect(block.every((s) => s.verbatim && !s.skip && s.group < 0)).toBe(true);
    expect(doc.sentences[3]?.verbatim).toBe(false);
  });

  it("leaves a Markdown heading and an amount of dollars alone", () => {
    for (const first of ["# Setup the gadget", "$ 25 buys the spare gadget"]) {
      const doc = splitSource(source(1, `${first}\nThe gadget is set up in two steps.`), 0, "en");
      expect(doc.sentences.some((s) => s.verbatim)).toBe(false);
    }
  });
});

describe("the title of a tip or note box is not an answer sentence", () => {
  const text = [
    "The gadget daemon runs its jobs at night. Jobs started late are run with a lower priority.",
    "",
    "BASICS Priorities and the calm command",
    "",
    "The calm command lowers the priority of a job. Unless told otherwise, calm lowers the priority by 7.",
  ].join("\n");

  it("quotes the box's text, never its title", async () => {
    const a = await answer("What do priorities and the calm command do?", text);
    expect(a).toContain("The calm command lowers the priority of a job.");
    expect(a).not.toContain("BASICS");
  });

  it("does the same for a Chinese box title", async () => {
    const zh = ["守护进程在夜间运行任务。", "", "基础知识 优先级和 calm", "", "除非特别指明， calm 将当前优先级加7。"].join("\n");
    const a = await answer("calm 默认会把优先级调低多少？", zh, "zh");
    expect(a).toContain("calm 将当前优先级加7");
    expect(a).not.toContain("基础知识");
  });

  it("keeps a setting line standing alone between the paragraphs that explain it", async () => {
    const settings = ["The gadget reads its log settings from /etc/gadget.conf.", "", "GADGET_LOG_FAILS yes", "", "If you enable this variable, failed pings are logged.", "", "KeepGadgetQuiet no", "", "Setting this to yes silences the gadget."];
    const doc = splitSource(source(1, settings.join("\n")), 0, "en");
    for (const line of ["GADGET_LOG_FAILS yes", "KeepGadgetQuiet no"]) expect(doc.sentences.find((s) => s.text === line)?.skip).toBe(false);
    expect(await answer("How do I get failed pings logged?", settings.join("\n"))).toContain("GADGET_LOG_FAILS yes");
  });

  it("keeps a short line that introduces a list, and a line in a paragraph", () => {
    const doc = splitSource(source(1, ["Requirements", "", "- a gadget", "- a cable", "", "Plug the cable in", "and wait."].join("\n")), 0, "en");
    expect(doc.sentences[0]?.skip).toBe(false);
    expect(doc.sentences.find((s) => s.text.startsWith("Plug"))?.skip).toBe(false);
  });
});

describe("a block is quoted with the sentence after it that explains it", () => {
  const text = (after: string): string =>
    [
      "You might find the following lines in the gadget log:",
      "  Jan 02 10:00:00 hub -- PULSE --",
      "  Jan 02 10:20:00 hub -- PULSE --",
      "  Jan 02 10:40:00 hub -- PULSE --",
      "",
      after,
      "",
      "A different chapter explains how to rotate the gadget log.",
    ].join("\n");

  it("carries the explanation when it refers back to the block, within the word budget", async () => {
    const a = await answer(
      "What are the PULSE lines in my gadget log?",
      text("This does not mean that the hub is broken. These lines show that the hub daemon is running properly."),
    );
    expect(a).toContain("-- PULSE --");
    expect(a).toContain("the hub daemon is running properly");
    expect(a).not.toContain("rotate");
  });

  it("does not carry a paragraph that starts something else", async () => {
    const a = await answer("What are the PULSE lines in my gadget log?", text("Gadget hubs are sold in three sizes, and the large one has two fans."));
    expect(a).toContain("-- PULSE --");
    expect(a).not.toContain("three sizes");
  });
});
