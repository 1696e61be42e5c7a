import { describe, expect, it } from "vitest";
import { loadPdf } from "../../../ingest/loaders/pdf.js";
import { chunkDocument } from "../../../ingest/chunking/chunk-document.js";
import { PAGE_BREAK, type Chunk } from "../../../src/domain/chunk.js";
import { makeStructuredPdf, type DrawnLine } from "./structured-pdf.js";

const input = { fileName: "mesh.pdf", id: "mesh.pdf" };
const body = (text: string): DrawnLine => ({ text });

const PROSE = [
  "The admin interface listens on port 8080 when the router leaves the factory.",
  "Some networks already use that port for a media server or a camera.",
  "Pick a free port above 1024 and write it down before you continue.",
  "The change takes effect after the router has restarted once.",
  "You can change it by the following.",
];

const CODE = "router-cli set admin.port 8443\n  --persist\nrouter-cli restart";

function manual(withOutline: boolean): Promise<Buffer> {
  return makeStructuredPdf({
    pages: [
      [body("Acme Mesh Router M5 Manual")],
      [
        { text: "Contents", size: 16 },
        body("1 Getting started . . . . . . . . . . . . . . . . . . . . 1"),
        body("1.1 Unpacking . . . . . . . . . . . . . . . . . . . . . . 1"),
        body("2 Network settings . . . . . . . . . . . . . . . . . . . 2"),
        body("2.1 Changing the admin port . . . . . . . . . . . . . . 2"),
        body("3 Specifications . . . . . . . . . . . . . . . . . . . . 3"),
      ],
      [
        { text: "1 Getting started", size: 16 },
        { text: "1.1 Unpacking", size: 13 },
        body("Take the router and the power supply out of the box."),
        body("Keep the box until the router works as it should."),
      ],
      [
        { text: "2 Network settings", size: 16 },
        { text: "2.1 Changing the admin port", size: 13 },
        ...PROSE.map(body),
        { text: "router-cli set admin.port 8443", mono: true },
        { text: "--persist", mono: true, x: 72 + 2 * 6.6 },
        { text: "router-cli restart", mono: true },
        body("Log in again on the new port afterwards."),
      ],
      [
        { text: "3 Specifications", size: 16 },
        body("Each model in the range differs in radio and ports."),
        { text: "Model", cells: [[220, "Wi-Fi"], [380, "Ports"]] },
        { text: "M5", cells: [[220, "6E"], [380, "4"]] },
        { text: "M3", cells: [[220, "6"], [380, "2"]] },
        { text: "M1", cells: [[220, "5"], [380, "1"]] },
      ],
    ],
    ...(withOutline
      ? {
          outline: [
            { title: "Getting started", page: 3, children: [{ title: "Unpacking", page: 3 }] },
            { title: "Network settings", page: 4, children: [{ title: "Changing the admin port", page: 4 }] },
            { title: "Specifications", page: 5 },
          ],
        }
      : {}),
    labels: [
      [0, "r"],
      [2, "D"],
    ],
  });
}

async function chunks(bytes: Buffer, maxTokens = 300): Promise<Chunk[]> {
  const doc = await loadPdf(bytes, input);
  return chunkDocument(doc, { collection: "default", maxTokens, overlapTokens: Math.floor(maxTokens / 8) });
}

const holding = (all: Chunk[], text: string): Chunk => {
  const found = all.find((c) => c.text.includes(text));
  expect(found, `a chunk holding "${text}"`).toBeDefined();
  return found!;
};

describe("PDF document structure", () => {
  it("takes section paths from the outline and printed page labels beside the PDF page index", async () => {
    const all = await chunks(await manual(true));
    const unpack = holding(all, "power supply out of the box");
    expect(unpack.sectionPath).toEqual(["1 Getting started", "1.1 Unpacking"]);
    expect(unpack.pageStart).toBe(3);
    expect(unpack.pageLabel).toBe("1");
    const specs = holding(all, "differs in radio");
    expect(specs.sectionPath).toEqual(["3 Specifications"]);
    expect([specs.pageStart, specs.pageLabel]).toEqual([5, "3"]);
    // Headings are the path, not an answer of their own.
    expect(all.some((c) => c.text.trim() === "2 Network settings")).toBe(false);
  });

  it("finds a bookmarked heading wrapped at a hyphen, so the text above it stays in the section before", async () => {
    const bytes = await makeStructuredPdf({
      pages: [
        [
          { text: "4.4 How do I reset the router?", size: 13 },
          body("Hold the reset button for ten seconds until the lights blink."),
          body("The settings return to what they were when it left the factory."),
          { text: "4.5 Can the router use sym-", size: 13 },
          { text: "links on its storage?", size: 13 },
          body("Yes, the storage keeps symbolic links when it is formatted with ext4."),
        ],
      ],
      outline: [
        { title: "How do I reset the router?", page: 1 },
        { title: "Can the router use symlinks on its storage?", page: 1 },
      ],
    });
    const all = await chunks(bytes);
    expect(holding(all, "return to what they were").sectionPath).toEqual(["4.4 How do I reset the router?"]);
    const links = holding(all, "keeps symbolic links");
    expect(links.sectionPath).toEqual(["4.5 Can the router use symlinks on its storage?"]);
    expect(links.text).not.toContain("reset button");
  });

  it("keeps the table of contents out of the chunks", async () => {
    const all = await chunks(await manual(true));
    expect(all.some((c) => /\. \. \. \./.test(c.text) || c.text.includes("Contents"))).toBe(false);
    expect(all.some((c) => c.pageStart === 2)).toBe(false);
  });

  it("keeps a command block verbatim in one chunk with the sentence that introduces it", async () => {
    // Small chunks: the section must be split, and never between the lead-in and its block.
    const all = await chunks(await manual(true), 50);
    expect(all.filter((c) => c.sectionPath.at(-1) === "2.1 Changing the admin port").length).toBeGreaterThan(1);
    const code = holding(all, "router-cli set admin.port 8443");
    expect(code.text).toContain(`You can change it by the following.\n${CODE}`);
    expect(code.blockKind).toBe("code");
  });

  it("turns aligned columns into rows that carry their header cells", async () => {
    const all = await chunks(await manual(true));
    const table = holding(all, "Model: M5");
    expect(table.text).toContain("Model: M5 | Wi-Fi: 6E | Ports: 4\nModel: M3 | Wi-Fi: 6 | Ports: 2");
    expect(table.blockKind).toBe("table");
  });

  it("finds numbered and larger-font headings when the PDF has no outline", async () => {
    const all = await chunks(await manual(false));
    expect(holding(all, "power supply out of the box").sectionPath).toEqual(["1 Getting started", "1.1 Unpacking"]);
    expect(holding(all, "router-cli restart").sectionPath).toEqual(["2 Network settings", "2.1 Changing the admin port"]);
  });
});

describe("a command block at the top of a page after its lead-in on the page before", () => {
  const filler = Array.from({ length: 24 }, (_, i) => body(`The router stores setting group ${i + 1} in its flash memory until the next reset.`));
  const block: DrawnLine[] = [
    { text: "profile edge {", mono: true },
    { text: "boot-server 10.4.0.2;", mono: true, x: 72 + 2 * 6.6 },
    { text: "}", mono: true },
  ];

  it.each([
    "If the router boots over the network, name an image made for it, for example",
    "Here is an example of a boot profile for the router using the edge image.",
    "Name the boot image in the router's boot profile as follows:",
  ])("keeps the block verbatim, in one chunk with %j", async (lead) => {
    const pdf = await makeStructuredPdf({
      pages: [[{ text: "1 Network boot", size: 16 }, ...filler, body(lead)], [...block, body("The router reads its boot profile at the next start.")]],
      outline: [{ title: "Network boot", page: 1 }],
    });
    const doc = await loadPdf(pdf, input);
    const section = doc.sections[0]!;
    const code = section.blocks?.find((b) => b.kind === "code");
    // The block's lead-in is its last sentence on the page before, attached by a line break, not set apart.
    expect(section.text.slice(code?.leadStart ?? 0, code?.end)).toBe(`${lead}\nprofile edge {\n  boot-server 10.4.0.2;\n}`);
    const all = chunkDocument(doc, { collection: "default", maxTokens: 60, overlapTokens: 7 });
    const chunk = holding(all, "profile edge {");
    expect(chunk.text.replaceAll(PAGE_BREAK, "")).toContain(`${lead}\nprofile edge {\n  boot-server 10.4.0.2;\n}`);
    expect(chunk.pageStart).toBe(1);
    expect(chunk.pageEnd).toBe(2);
  });
});

describe("PDF admonition labels", () => {
  it("joins a label set alone on its line (Tip, Warning) to the paragraph it labels", async () => {
    const pdf = await makeStructuredPdf({
      pages: [
        [
          { text: "1 Logging", size: 16 },
          body("The hub writes a log of every pairing attempt."),
          { text: "Tip", size: 12 },
          body("The detailed log is kept for seven days in the web interface."),
          { text: "Warning", size: 12 },
          body("Never unplug the hub while it writes the log."),
        ],
      ],
      outline: [{ title: "Logging", page: 1 }],
    });
    const doc = await loadPdf(pdf, { fileName: "hub.pdf", id: "hub.pdf" });
    expect(doc.sections[0]?.text).toBe(
      "The hub writes a log of every pairing attempt.\n\nTip: The detailed log is kept for seven days in the web interface.\n\n" +
        "Warning: Never unplug the hub while it writes the log.",
    );
  });

  it("knows the labels the composer knows: any case, with a colon, in other languages", async () => {
    const pdf = await makeStructuredPdf({
      pages: [
        [
          { text: "1 Logging", size: 16 },
          body("The hub writes a log of every pairing attempt."),
          { text: "NOTE", size: 12 },
          body("The detailed log is kept for seven days in the web interface."),
          { text: "Hinweis:", size: 12 },
          body("Das Protokoll bleibt sieben Tage lang gespeichert."),
        ],
      ],
      outline: [{ title: "Logging", page: 1 }],
    });
    const doc = await loadPdf(pdf, { fileName: "hub.pdf", id: "hub.pdf" });
    expect(doc.sections[0]?.text).toBe(
      "The hub writes a log of every pairing attempt.\n\nNOTE: The detailed log is kept for seven days in the web interface.\n\n" +
        "Hinweis: Das Protokoll bleibt sieben Tage lang gespeichert.",
    );
  });
});

describe("PDF printed from a web page", () => {
  it("drops the page's Prev / Next bar, which is set larger than any heading", async () => {
    const pdf = await makeStructuredPdf({
      pages: [
        [
          { text: "Prev", size: 20, cells: [[220, "Widget Manual"], [480, "Next"]] },
          { text: "3.1 Cleaning the lid", size: 15 },
          body("Wipe the lid with a dry cloth once a week."),
          { text: "3.2 Cleaning the base", size: 15 },
          body("Never put the base in water."),
        ],
      ],
    });
    const doc = await loadPdf(pdf, { fileName: "page.pdf", id: "page.pdf" });
    expect(doc.sections.map((s) => s.path)).toEqual([["3.1 Cleaning the lid"], ["3.2 Cleaning the base"]]);
    expect(doc.sections.map((s) => s.text).join(" ")).not.toMatch(/Prev|Next/);
  });

  it("drops footnote marks drawn apart from their sentence, closes the gaps they leave and keeps each note on its line", async () => {
    const pdf = await makeStructuredPdf({
      pages: [
        [
          { text: "3.1 Cleaning the lid", size: 15 },
          body("The lid (by default ) opens to the left."),
          body("Wipe it with a dry cloth. ."),
          // Drawn last by the browser, but not at the page's foot, where a bare "[2]" reads as a page number.
          { text: "[1]", size: 7 },
          { text: "[2]", size: 7 },
          body("Never put the base in water."),
          body("[1] Models made before 2020 open to the right."),
          body("[2] Or a damp one."),
        ],
      ],
    });
    const doc = await loadPdf(pdf, { fileName: "page.pdf", id: "page.pdf" });
    const text = doc.sections[0]?.text ?? "";
    expect(text).toContain("The lid (by default) opens to the left.");
    expect(text).toContain("Wipe it with a dry cloth.\n\nNever put");
    expect(text).toContain("water.\n\n[1] Models made before 2020 open to the right.\n[2] Or a damp one.");
  });
});
