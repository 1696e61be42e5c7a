import { describe, expect, it } from "vitest";
import type { Source } from "../../src/domain/answer.js";
import { PAGE_BREAK } from "../../src/domain/chunk.js";
import { composeVerified } from "./compose-stream.js";

/** What PDF text leaves in a chunk (footnotes moved after their paragraph, boxes, page breaks) and how it is quoted. */

function source(text: string, page?: number): Source {
  return { n: 1, chunkId: "c/guide#0", documentId: "guide.pdf", title: "Widget guide", sectionPath: ["Accounts", "Passwords"], sourceType: "manual", text, score: 1, ...(page !== undefined ? { page } : {}) };
}

async function answer(question: string, sources: Source[]): Promise<{ text: string; pages: Array<number | undefined> }> {
  const verified = await composeVerified(question, sources, { composer: { answerWindow: 1, maxWords: 110 } });
  return { text: verified.text, pages: verified.citations.map((c) => c.page) };
}

describe("a footnote the PDF loader moved after its paragraph is never quoted", () => {
  it("skips 'Footnote N: …' even when it names the question's words", async () => {
    const text = [
      "The widget registry keeps one state file per widget under /var/lib/widgets.",
      "",
      "Footnote 3: The widget registry state files of older releases were kept under /srv/widgets.",
      "",
      "A frozen widget keeps its registry state file until it is thawed.",
    ].join("\n");
    const { text: reply } = await answer("Where does the widget registry keep its state files?", [source(text)]);
    expect(reply).toContain("/var/lib/widgets");
    expect(reply).not.toContain("Footnote");
    expect(reply).not.toContain("/srv/widgets");
  });
});

describe("a sentence cut by a page break or a blank line is quoted whole", () => {
  const cut = (gap: string): string =>
    [
      "Widget passwords can be given in clear text or as hashes in the setup file.",
      `Storing hashed widget passwords is considered safe unless a weak hashing algorithm like${gap}MD4 is used, which allows guessing. Make the hash with wpasswd --method strong.`,
    ].join("\n");

  it.each([
    ["a page break", `\n${PAGE_BREAK}\n`],
    ["a blank line", "\n\n"],
  ])("across %s", async (_name, gap) => {
    const { text: reply, pages } = await answer("How do I store a hashed widget password instead of clear text?", [source(cut(gap), 40)]);
    // The first half alone ("…algorithm like [1]") would be a fragment, and the fact after the break lost.
    expect(reply).toContain("algorithm like MD4 is used, which allows guessing. [1]");
    expect(reply).not.toMatch(/like \[\d+\]/);
    expect(reply).toContain("wpasswd --method strong");
    expect(pages.length).toBeGreaterThan(0);
  });

  it("keeps a command line under a lead-out ending in 'with' on a line of its own", async () => {
    const text = ["To stop a widget from being upgraded at all, put the widget package on hold with", "", "wtool hold widget-name", "", "Held widgets are listed by the status page."].join("\n");
    const { text: reply } = await answer("How do I stop a widget package from being upgraded?", [source(text)]);
    expect(reply).toContain("on hold with\nwtool hold widget-name [1]");
  });

  it("does not join a line that ends a sentence-less heading to the paragraph after it", async () => {
    const text = ["Changing the widget password on a running system", "", "Run wtool passwd as the widget owner. The new password is used at the next start."].join("\n");
    const { text: reply } = await answer("How do I change the widget password on a running system?", [source(text)]);
    expect(reply).not.toContain("running system Run");
    expect(reply).toContain("wtool passwd");
  });
});

describe("an admonition's label is never quoted as a sentence", () => {
  it("quotes the text of a WARNING box without its label line", async () => {
    const text = [
      "Widget passwords can be given in clear text or as hashes in the setup file.",
      "",
      "WARNING",
      "",
      "Everyone who can read the setup file can read clear text widget passwords, so they are not safe there.",
    ].join("\n");
    // The reply runs from the first paragraph into the box: the label between them stays out.
    const { text: reply } = await answer("Can widget passwords be hashes in the setup file, and is clear text safe?", [source(text)]);
    expect(reply).toContain("as hashes");
    expect(reply).toContain("Everyone who can read the setup file");
    expect(reply).not.toMatch(/^\s*WARNING\b/m);
  });
});
