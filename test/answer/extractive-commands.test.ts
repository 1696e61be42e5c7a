import { describe, expect, it } from "vitest";
import type { Source } from "../../src/domain/answer.js";
import { verifyAnswer } from "../../src/answer/verify-citations.js";
import { composeAndStream, composeVerified } from "./compose-stream.js";

function source(n: number, text: string): Source {
  return { n, chunkId: `c/doc-${n}#0`, documentId: `doc-${n}`, title: "Install guide", sectionPath: ["Media", "USB stick"], sourceType: "manual", text, score: 1 };
}

/** A generated manual passage: a lead-in, a command block of `commands` lines, and a paragraph after it. */
function passage(commands: readonly string[]): string {
  return [
    "The image is written directly to the stick, overwriting its contents. On a running system the image file can be written to a stick as follows, after making sure that the stick is unmounted:",
    ...commands,
    "",
    "Writing the image like this works for most users of the stick.",
  ].join("\n");
}

async function answer(question: string, sources: Source[]): Promise<string> {
  return (await composeVerified(question, sources)).text;
}

describe("command blocks keep their line breaks in extractive answers", () => {
  it.each([
    [["# cp image.iso /dev/sdX", "# sync"]],
    [["$ dd if=image.iso of=/dev/sdX bs=4M", "$ sync", "$ eject /dev/sdX"]],
    [["mount /dev/sdb1 /mnt", "umount /mnt"]],
  ])("%j", async (commands) => {
    const text = await answer("How do I write the image to a USB stick?", [source(1, passage(commands))]);
    const lines = text.split("\n").map((l) => l.replace(/\s*\[\d+\]$/, ""));
    // Every command is a line of its own: joined, the second would become an argument or a shell comment.
    for (const c of commands) expect(lines).toContain(c);
  });
});

describe("a block the sentence splitter ended mid-block keeps every line", () => {
  it("keeps the lines after a one-line span under the lead-out on their own lines", async () => {
    const text = [
      "The easiest way to build a custom gadget from the gadget source is to use the gadget-source package and the make gadget-pkg target. First, prepare the gadget tree:",
      "# apt-get install gadget-source-2.7",
      "$ tar xaf /usr/src/gadget-source-2.7.tar.xz",
      "$ cd gadget-source-2.7",
      "",
      "The gadget now needs to be configured, that is you set its options.",
    ].join("\n");
    const lines = (await answer("How do I build a custom gadget package from the gadget source?", [source(1, text)]))
      .split("\n").map((l) => l.replace(/\s*\[\d+\]$/, ""));
    expect(lines).toContain("$ tar xaf /usr/src/gadget-source-2.7.tar.xz");
    expect(lines).toContain("$ cd gadget-source-2.7");
  });
});

describe("a Chinese lead-in carries the command block after it", () => {
  async function answerZh(question: string, text: string): Promise<string> {
    const sources = [source(1, text)];
    return (await composeVerified(question, sources, { language: "zh" })).text;
  }

  it.each([
    ["然后，使用下列命令来修复所有未完成设置的小工具。", "# gadget --repair -a"],
    ["然后，按如下方法修复所有未完成设置的小工具。", "# gadget --repair -a"],
    ["然后，用以下命令修复所有未完成设置的小工具：", "# gadget --repair -a"],
  ])("%s", async (leadIn, command) => {
    const text = [
      "你应当先安装所有需要的组件，使用小工具商店或者 \"sudo gadget -i ...\"。",
      "",
      leadIn,
      "",
      command,
    ].join("\n");
    const a = await answerZh("用 gadget -i 安装小工具时缺少组件，安装失败了怎么办？", text);
    expect(a).toContain(leadIn.slice(0, 6));
    expect(a).toContain(command);
  });
});

describe("a command block streams with its line breaks", () => {
  it("releases the uncited command lines with the cited last line, never joined", async () => {
    const sources = [source(1, passage(["# cp image.iso /dev/sdX", "# sync"]))];
    const { final, streamed } = await composeAndStream("How do I write the image to a USB stick?", sources);
    expect(streamed).toBe(final);
    expect(final).toContain("\n# cp image.iso /dev/sdX\n# sync [1]");
  });

  it("keeps the block's line breaks in the citation snippet", () => {
    const sources = [source(1, passage(["mount /dev/sdb1 /mnt", "umount /mnt"]))];
    const verified = verifyAnswer("mount /dev/sdb1 /mnt\numount /mnt [1]", sources, { language: "en" });
    expect(verified.text).toBe("mount /dev/sdb1 /mnt\numount /mnt [1]");
    expect(verified.citations[0]?.snippet).toContain("mount /dev/sdb1 /mnt\numount /mnt");
  });
});

describe("joining prose lines keeps the space before a word that starts with punctuation", () => {
  it("never glues './gentoo', '.deb' or ':8080' to the word before, while still closing ' ,' and ' .'", async () => {
    const text = await answer("How do I install the viewer program from the build tree?", [
      source(
        1,
        "To install the viewer program from the build tree, the makefile target runs\ninstall ./viewer $(BIN) and copies the .deb files , then listens on :8080 .\nThe viewer program is then installed.",
      ),
    ]);
    expect(text).toContain("install ./viewer $(BIN)");
    expect(text).toContain("copies the .deb files,");
    expect(text).toContain("listens on :8080.");
  });
});
