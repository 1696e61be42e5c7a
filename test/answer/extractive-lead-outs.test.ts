import { describe, expect, it } from "vitest";
import type { Source } from "../../src/domain/answer.js";
import { PAGE_BREAK } from "../../src/domain/chunk.js";
import { splitSource } from "../../src/answer/extractive-blocks.js";
import { composeVerified } from "./compose-stream.js";

/** Lead-outs that introduce an example ("…, for example", "Here is an example …") and blocks a blank line sets apart. */

function source(text: string, page?: number): Source {
  return { n: 1, chunkId: "c/hub#0", documentId: "hub.pdf", title: "Hub guide", sectionPath: ["Network", "Boot server"], sourceType: "manual", text, score: 1, ...(page !== undefined ? { page } : {}) };
}

async function answer(question: string, text: string, page?: number): Promise<string> {
  return (await composeVerified(question, [source(text, page)], { composer: { answerWindow: 1, maxWords: 110 } })).text;
}

const lines = (reply: string): string[] => reply.split("\n").map((l) => l.replace(/\s*\[\d+\]$/, ""));

const BLOCK = ["profile edge {", "  boot-server 10.4.0.2;", "  bootfile \"hubs/arm64/edgeboot.img\";", "}"];

describe("a sentence ending on 'for example' or 'such as' carries the example after it", () => {
  it.each([
    ["for example", "\n"],
    ["for example", `\n${PAGE_BREAK}`],
    ["e.g.", "\n"],
    ["such as", "\n\n"],
  ])("'%s' before the block (gap %j)", async (lead, gap) => {
    const text = [
      "Older hubs boot from the default image that the boot server hands out to every client on the network.",
      "",
      `If your hub uses the ARM64 firmware, you will have to name a boot image made for ARM64 hubs, ${lead}${gap}${BLOCK.join("\n")}`,
      "",
      "The boot server reloads its profiles within a minute.",
    ].join("\n");
    const reply = await answer("Which boot image file should the boot server give to ARM64 hubs?", text, 12);
    // Not "…hubs, for example [1]" without the example: the block follows its lead-out, one line per line.
    expect(reply).not.toMatch(new RegExp(`${lead.replace(/\./g, "\\.")} \\[\\d+\\]`));
    for (const line of BLOCK) expect(lines(reply)).toContain(line.trim());
  });

  it("carries it also after a paragraph ending on a reference in brackets ('(see Section 4.5 below).')", async () => {
    const text = [
      "Note that for network boot, the default image edgeboot.img is a boot loader, not a firmware image (see Section 4.5 below).",
      "",
      `If your hub uses the ARM64 firmware, you will have to name a boot image made for ARM64 hubs, for example\n${BLOCK.join("\n")}`,
    ].join("\n");
    const reply = await answer("Which boot image file should the boot server give to ARM64 hubs?", text);
    expect(lines(reply)).toContain("bootfile \"hubs/arm64/edgeboot.img\";");
    // The reference points elsewhere: the sentence after it is prose, not a line of a block it would introduce.
    const ss = splitSource(source(text), 0, "en").sentences;
    expect(ss.find((x) => x.text.startsWith("If your hub"))?.verbatim).toBe(false);
    expect(ss.find((x) => x.text.startsWith("bootfile"))?.verbatim).toBe(true);
  });

  it("carries the block after a sentence presenting it ('Here is an example …')", async () => {
    const text = [
      "Here is an example of a boot profile for ARM64 hubs using the edge image.",
      ...BLOCK,
      "",
      "Clients pick the profile up at their next boot.",
    ].join("\n");
    const reply = await answer("What does a boot profile for ARM64 hubs look like?", text);
    expect(lines(reply)).toContain("bootfile \"hubs/arm64/edgeboot.img\";");
    expect(reply).not.toContain("{ boot-server");
  });

  it("leaves a hard-wrapped sentence whose line ends on 'such as' one sentence", async () => {
    const text = "The hub can announce events with sounds such as\nthe pairing chime and the low battery tone, in every room.\n\nSounds can be turned off in the app.";
    const reply = await answer("Which sounds can the hub announce events with?", text);
    expect(reply).toContain("such as the pairing chime and the low battery tone, in every room. [1]");
  });
});

describe("a block set apart by one blank line under a lead-out keeps its lines", () => {
  it.each([
    ["an HTML <pre> block", ["hubctl set port 8443", "hubctl restart"]],
    ["a Markdown fence", ["```", "hubctl set port 8443", "hubctl restart", "```"]],
  ])("%s", async (_name, block) => {
    const text = ["The hub keeps its settings in flash memory. Change the admin port of the hub as follows:", "", ...block, "", "Log in again on the new port afterwards."].join("\n");
    const reply = await answer("How do I change the admin port of the hub?", text);
    expect(lines(reply)).toContain("hubctl set port 8443");
    expect(lines(reply)).toContain("hubctl restart");
    expect(reply).not.toContain("```");
  });
});

describe("a passage that reaches into a list its lead-out introduces takes the whole list", () => {
  const text = [
    "Closing your account removes your profile from the directory. If you want to close your account, make sure you do the following steps:",
    "",
    "• Export your saved reports from the archive page.",
    "• Cancel every scheduled delivery in the planner.",
    "• Remove your devices from the device list.",
    "• Ask the help desk to delete the mailbox alias.",
    "",
    "Closed profiles cannot be restored later.",
  ].join("\n");

  it("quotes every step after '…the following steps:', not only the first (the answer window ended on item one)", async () => {
    const reply = await answer("What do I have to do if I want to close my account?", text);
    expect(reply).toContain("do the following steps:");
    for (const item of ["Export your saved reports", "Cancel every scheduled delivery", "Remove your devices", "Ask the help desk"]) expect(reply).toContain(item);
    expect(reply).not.toContain("cannot be restored");
  });
});
