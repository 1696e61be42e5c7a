import { describe, expect, it } from "vitest";
import type { Source } from "../../src/domain/answer.js";
import { verifyAnswer } from "../../src/answer/verify-citations.js";
import { composeAndStream, composeVerified } from "./compose-stream.js";

function source(n: number, text: string, sectionPath: string[] = ["Package tools", "Freezing a widget"]): Source {
  return { n, chunkId: `c/doc-${n}#0`, documentId: `doc-${n}`, title: "Widget handbook", sectionPath, sourceType: "manual", text, score: 1 };
}

async function answer(question: string, sources: Source[]): Promise<string> {
  return (await composeVerified(question, sources)).text;
}

/** A generated procedure: three steps, each a lead-out and its command block, the middle one in two parts. */
const FREEZE = [
  "There are two ways of freezing a widget, with wtool or with the control panel.",
  "",
  "With wtool, you first export the list of widget states, with:",
  "wtool --export-states > states.txt",
  "",
  "Then edit the resulting file states.txt and change the line of the widget you wish to freeze, e.g. gizmo, from this:",
  "gizmo active",
  "",
  "to this:",
  "gizmo frozen",
  "",
  "Save the file, and load it back into the registry with:",
  "wtool --import-states < states.txt",
  "",
  "The control panel offers the same under Widgets in its advanced view, which most users never open.",
].join("\n");

describe("procedures are quoted from their first step", () => {
  it("a passage matching a middle step starts at the step before it, and takes the short step after it", async () => {
    const text = await answer("How do I freeze the gizmo widget so that it stays frozen?", [source(1, FREEZE)]);
    expect(text.indexOf("wtool --export-states > states.txt")).toBeGreaterThanOrEqual(0);
    expect(text.indexOf("wtool --export-states")).toBeLessThan(text.indexOf("gizmo frozen"));
    expect(text).toContain("wtool --import-states < states.txt");
    expect(text.startsWith("Then edit")).toBe(false);
  });

  it("cites a command block once, after its last line, with the lead-out that introduces it", async () => {
    const text = await answer("How do I freeze the gizmo widget so that it stays frozen?", [source(1, FREEZE)]);
    expect(text).toContain("from this:\ngizmo active\nto this:\ngizmo frozen [1]");
    expect(text).toContain("with:\nwtool --export-states > states.txt [1]");
    for (const line of text.split("\n")) {
      // Only the last line of each block carries the marker: never a lead-out or a line inside a block.
      if (/:\s*$/.test(line) || line === "gizmo active") expect(line).not.toMatch(/\[\d+\]/);
    }
  });

  it("streams the same text, block by block", async () => {
    const sources = [source(1, FREEZE)];
    const { final, streamed } = await composeAndStream("How do I freeze the gizmo widget so that it stays frozen?", sources);
    expect(streamed).toBe(final);
  });

  it("reads a root prompt with a path as a command, not as a Markdown heading", async () => {
    const text = [
      "If a volume was skipped at boot you can add it afterwards. First register the volumes with the mapper by running:",
      "# /usr/sbin/volctl attach",
      "",
      "This will scan every volume listed in the volume table and ask for its passphrase. Registered volumes are skipped, so the command can be repeated.",
    ].join("\n");
    const reply = await answer("The passphrase prompt timed out and the volume was skipped. How do I scan the volumes again?", [source(1, text, ["Volumes"])]);
    expect(reply).toContain("# /usr/sbin/volctl attach");
  });
});

describe("verification keeps an uncited lead-out only with the block it introduces", () => {
  // The lead-out is not a whole line of the source (its paragraph starts before it): kept for the block alone.
  const src = source(1, "The registry keeps a flag per widget. To list the frozen widgets, run the following:\nwtool --list-frozen\n\nThe list is empty on a new system.");

  it("keeps the lead-out above a cited block its source supports", () => {
    const v = verifyAnswer("To list the frozen widgets, run the following:\nwtool --list-frozen [1]", [src], { language: "en" });
    expect(v.text).toBe("To list the frozen widgets, run the following:\nwtool --list-frozen [1]");
    expect(v.removed).toEqual([]);
  });

  it("drops an uncited lead-out with nothing cited under it, or one its sources do not support", () => {
    expect(verifyAnswer("The list is empty on a new system. [1]\nTo list the frozen widgets, run the following:", [src], { language: "en" }).text).toBe(
      "The list is empty on a new system. [1]",
    );
    const unsupported = verifyAnswer("Call our premium hotline and pay the fee as follows:\nwtool --list-frozen [1]", [src], { language: "en" });
    expect(unsupported.text).toBe("wtool --list-frozen [1]");
  });
});

describe("footnotes kept inline by a PDF's text are never quoted", () => {
  it("skips a line opening with a superscript note number or a note number glued to its first word", async () => {
    const text = [
      "The widget registry keeps one state file per widget under /var/lib/widgets.",
      "³See Section 4.2 for how the widget registry state files are backed up.",
      "2registry/state/main, registry/state/extra, and registry/state/old, etc.",
      "A frozen widget keeps its registry state file until it is thawed.",
    ].join("\n");
    const reply = await answer("Where does the widget registry keep its state files?", [source(1, text, ["Registry"])]);
    expect(reply).toContain("/var/lib/widgets");
    expect(reply).not.toContain("See Section 4.2");
    expect(reply).not.toContain("registry/state/main");
  });

  it("skips the footnote's later sentences on its line too", async () => {
    const text = [
      "The widget registry keeps one state file per widget under /var/lib/widgets.",
      "Old releases of the registry are archived by the backup tool.",
      "",
      "⁴The registry module is loaded in this step. State files of old releases are kept under /srv/widgets.",
    ].join("\n");
    const reply = await answer("Where are the state files of old releases kept?", [source(1, text, ["Registry"])]);
    expect(reply).toContain("backup tool");
    expect(reply).not.toContain("/srv/widgets");
  });
});
