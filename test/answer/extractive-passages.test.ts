import { describe, expect, it } from "vitest";
import type { Source } from "../../src/domain/answer.js";
import { ExtractiveComposer } from "../../src/answer/extractive.js";
import { verifyAnswer } from "../../src/answer/verify-citations.js";

function source(n: number, sectionPath: string[], text: string, score = 1): Source {
  return { n, label: n - 1, documentId: `doc-${n}`, title: "Debian FAQ", sectionPath, sourceType: "manual", text, score };
}

async function answer(question: string, sources: Source[]): Promise<string> {
  const composed = await new ExtractiveComposer().compose({ question, language: "en", sources });
  return verifyAnswer(composed.text, sources, { language: "en" }).text;
}

describe("extractive answers are natural passages", () => {
  it("never answers with a heading alone (a FAQ question line in capitals)", async () => {
    const s = source(1, ["Package management", "Holding packages"], [
      "HOW DO I PUT A PACKAGE ON HOLD?",
      "",
      "Run apt-mark hold with the package name. A package on hold is not upgraded until the hold is removed.",
    ].join("\n"));
    const text = await answer("How do I put a package on hold?", [s]);
    expect(text).not.toContain("HOW DO I PUT");
    expect(text).toContain("apt-mark hold");
  });

  it("a lead-in ending in 'the following' carries the command that follows", async () => {
    const s = source(1, ["Basics", "Keyboard layout"], [
      "The keyboard layout is set when the system is installed. You can change it by the following.",
      "",
      "dpkg-reconfigure keyboard-configuration",
      "",
      "Other settings of the console are described in the next section and in the manual pages of the tools.",
    ].join("\n"));
    const text = await answer("How can I change the keyboard layout?", [s]);
    expect(text).toContain("by the following");
    expect(text).toContain("dpkg-reconfigure keyboard-configuration");
  });

  it("a lead-in ending in ':' carries the command block after a blank line", async () => {
    const s = source(1, ["Networking"], [
      "To restart networking after editing the interfaces file, run as root:",
      "",
      "systemctl restart networking",
    ].join("\n"));
    const text = await answer("How do I restart networking after editing the interfaces file?", [s]);
    expect(text).toContain("systemctl restart networking");
  });

  it("never quotes a table-of-contents line", async () => {
    const s = source(1, ["Contents"], [
      "6.3.3 Connecting without remote passwords ........ 113",
      "",
      "Use ssh-keygen to create a key pair and copy the public key to the remote host to connect without remote passwords.",
    ].join("\n"));
    const text = await answer("How do I connect without remote passwords?", [s]);
    expect(text).not.toMatch(/\.{4,}|113/);
    expect(text).toContain("ssh-keygen");
  });
});
