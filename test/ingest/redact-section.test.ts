import { describe, expect, it } from "vitest";
import { createRedactor } from "../../src/assist/redact.js";
import type { LoadedDocument, Section } from "../../src/domain/document.js";
import { prepareDocument } from "../../ingest/pipeline.js";
import { redactSection } from "../../ingest/redact-section.js";

const redactor = createRedactor();
const target = { sourceType: "manual" as const, collection: "c" };
const redact = (text: string): { text: string; total: number } => redactor.redact(text, target);

/** A section with a personal address before a code block and a page break, offsets taken on the original text. */
function sectionWithAddressBeforeBlock(): { section: Section; code: string; nextPage: string } {
  const lead = "Set your address, for instance jane.roe.1984@mailbox-example.net, in the file as follows:";
  const code = "$ export WIDGET_OWNER=jane\n$ widgetctl --apply";
  const nextPage = "The result is written to the log.";
  const text = `${lead}\n${code}\n\n${nextPage}`;
  const start = text.indexOf(code);
  return {
    code,
    nextPage,
    section: {
      path: ["Setup"],
      text,
      pageStarts: [{ offset: 0, page: 1, label: "1" }, { offset: text.indexOf(nextPage), page: 2, label: "2" }],
      blocks: [{ kind: "code", start, end: start + code.length, leadStart: 0 }],
    },
  };
}

describe("redactSection", () => {
  it("moves block and page offsets with the text when a placeholder is shorter than what it replaces", () => {
    const { section, code, nextPage } = sectionWithAddressBeforeBlock();
    const { section: out, total } = redactSection(section, redact);
    expect(total).toBe(1);
    expect(out.text).toContain("[EMAIL]");
    expect(out.text).not.toContain("mailbox-example");
    const block = out.blocks?.[0];
    expect(block && out.text.slice(block.start, block.end)).toBe(code);
    expect(block?.leadStart).toBe(0);
    const page2 = out.pageStarts?.find((p) => p.page === 2);
    expect(page2 && out.text.slice(page2.offset)).toBe(nextPage);
  });

  it("leaves a section without personal data as it is", () => {
    const section: Section = { path: ["A"], text: "Press the button.\n$ run", blocks: [{ kind: "code", start: 18, end: 23 }] };
    const out = redactSection(section, redact);
    expect(out.total).toBe(0);
    expect(out.section).toBe(section);
  });

  it("keeps the whole-text redaction and offsets within the text when a match spans an offset", () => {
    // A redactor replacing "AB" by "[X]": the block starts between A and B, so the pieces alone would not match.
    const spanning = (text: string): { text: string; total: number } => {
      const parts = text.split("AB");
      return { text: parts.join("[X]"), total: parts.length - 1 };
    };
    const text = "xxAByy\nzz";
    const section: Section = { path: [], text, blocks: [{ kind: "code", start: 3, end: text.length }] };
    const { section: out, total } = redactSection(section, spanning);
    expect(out.text).toBe("xx[X]yy\nzz");
    expect(total).toBe(1);
    const block = out.blocks?.[0];
    expect(block?.end).toBe(out.text.length);
    expect(block && block.start >= 0 && block.start <= out.text.length).toBe(true);
  });
});

describe("prepareDocument with redaction", () => {
  it("gives the chunker block offsets on the redacted text", () => {
    const { section, code } = sectionWithAddressBeforeBlock();
    const raw: LoadedDocument = { id: "guide.pdf", title: "Widget guide", sourceType: "manual", format: "application/pdf", sections: [section] };
    const settings = { collection: "c", maxTokens: 300, overlapTokens: 40 };
    const { doc, record } = prepareDocument(raw, settings, "test-embedder", (text, t) => redactor.redact(text, t));
    const out = doc.sections[0];
    const block = out?.blocks?.[0];
    expect(out && block && out.text.slice(block.start, block.end)).toBe(code);
    expect(record.redactions).toBe(1);
  });
});
