import { describe, expect, it } from "vitest";
import type { Source } from "../../src/domain/answer.js";
import { composeVerified } from "./compose-stream.js";

const SECTION = ["Chapter 2 System Requirements", "2.2 Devices Requiring Firmware"];

/** Chunk `part` of a section of the installation guide: chunks of one long section share document and section path. */
function chunk(n: number, part: number, text: string, score: number, sectionPath = SECTION): Source {
  return { n, chunkId: `c/guide#${part}`, documentId: "guide", title: "Installation Guide", sectionPath, sourceType: "manual", text, score, page: 17 + part };
}

/** The same, given as the top source's section mate (what retrieval's `sectionMate` becomes). */
function mate(n: number, part: number, text: string, score: number, sectionPath = SECTION): Source {
  return { ...chunk(n, part, text, score, sectionPath), sectionMate: true };
}

/** The chunk retrieval ranks first: it restates the question's words, but holds no option. */
const TOP = [
  "Devices may ask for firmware files during the installation.",
  "",
  "If the installer stops and asks for firmware and you want free packages only, you can go on without loading the firmware.",
].join("\n");

/** The section's previous chunk: no sentence of it matches as well, but two in a row answer, with the option. */
const MATE = [
  "Official images can hold extra software.",
  "By default, the firmware the hardware needs is looked for on the medium.",
  "Users who wish to turn this off entirely can set the lookup=never boot parameter.",
].join(" ");

const QUESTION = "Is there a boot parameter so the installer stops looking for firmware? I want free packages only.";

async function answer(sources: Source[]): Promise<{ text: string; pages: Array<number | undefined> }> {
  const verified = await composeVerified(QUESTION, sources, { composer: { answerWindow: 1, maxWords: 110 } });
  return { text: verified.text, pages: verified.citations.map((c) => c.page) };
}

describe("extractive answers quote the run of the section's other chunk when it answers better", () => {
  it("quotes the same-section chunk whose run holds the option, citing that chunk", async () => {
    const { text, pages } = await answer([chunk(1, 3, TOP, 3.5), mate(2, 2, MATE, 3.2)]);
    expect(text).toContain("By default, the firmware the hardware needs is looked for");
    expect(text).toContain("lookup=never boot parameter.");
    expect(text).not.toContain("go on without loading");
    expect(pages).toEqual([19]);
  });

  it("never takes the run from another section, however well it matches", async () => {
    const other = chunk(2, 9, MATE, 3.2, ["Chapter 6 Using the Debian Installer", "6.4 Loading Missing Firmware"]);
    const { text, pages } = await answer([chunk(1, 3, TOP, 3.5), other]);
    expect(text).toContain("go on without loading");
    expect(text).not.toContain("lookup=never");
    expect(pages).toEqual([20]);
  });

  it("only a source flagged as the section's mate is one: unflagged chunks of one section are ranked sources", async () => {
    const intro = "The installer stops looking for firmware when asked; a boot parameter tells it so, for free packages only.";
    const top = "Devices may ask for firmware files.\n\nUsers can set the lookup=never boot parameter.";
    const { text } = await answer([chunk(1, 3, top, 3.5, []), chunk(2, 2, intro, 3.4, [])]);
    expect(text).toContain("when asked");
  });

  it("a mate's run that restates the question but holds no literal never replaces the anchor's", async () => {
    const intro = "The installer stops looking for firmware when asked; a boot parameter tells it so, for free packages only.";
    const top = "Devices may ask for firmware files.\n\nUsers can set the lookup=never boot parameter.";
    const { text } = await answer([chunk(1, 3, top, 3.5), mate(2, 2, intro, 3.4)]);
    expect(text).toContain("lookup=never");
    expect(text).not.toContain("when asked");
  });

  it("weighs a mate's run by its retrieval score: a much weaker chunk of the section is not quoted", async () => {
    const { text } = await answer([chunk(1, 3, TOP, 3.5), mate(2, 2, MATE, 1.5)]);
    expect(text).toContain("go on without loading");
  });
});

describe("a how-to question prefers the section's run that holds the means", () => {
  const top = [
    "The admin password and the names of further users can be set in the setup file.",
    "For the admin password you can give either clear text or a salted hash in the setup file.",
    "",
    "Setting passwords in the file is not fully safe, as everyone who can read the setup file can read them.",
  ].join("\n");
  const mateText = [
    "Accounts can also be locked with an exclamation mark as their value.",
    "",
    "The following command can be used to generate a salted hash for a password:",
    "mkhash --strong",
  ].join("\n");
  const sources = (): Source[] => [chunk(1, 4, top, 3.8, ["Setup file", "Accounts"]), mate(2, 5, mateText, 3.5, ["Setup file", "Accounts"])];

  it("a how-to question quotes the other chunk's command rather than the sentences that restate it", async () => {
    const verified = await composeVerified("I don't want the admin password in clear text in my setup file. How do I put a hash there?", sources(), { composer: { answerWindow: 1, maxWords: 110 } });
    expect(verified.text).toContain("mkhash --strong");
  });

  it("a question that asks whether, not how, keeps the anchor's run", async () => {
    const verified = await composeVerified("Can the admin password be a hash instead of clear text in the setup file?", sources(), { composer: { answerWindow: 1, maxWords: 110 } });
    expect(verified.text).toContain("either clear text or a salted hash");
    expect(verified.text).not.toContain("mkhash");
  });
});
