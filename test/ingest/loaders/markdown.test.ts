import { describe, expect, it } from "vitest";
import { loadMarkdown, parseFrontMatter, stripInline } from "../../../ingest/loaders/markdown.js";
import { UnsupportedDocumentError } from "../../../src/errors.js";

const input = { fileName: "setup.md", sourcePath: "guides/setup.md", id: "guides/setup.md" };

const DOC = `---
title: "Router setup"
url: https://help.example.com/setup
product: X2
language: en-US
tags: [a, b]
---
Intro before any heading.

# Setup

Unpack the [router](https://example.com/r "Router") and ![photo](img.png) place it.
<!-- internal note: do not publish -->

## Wireless

Open **Settings** > *Wireless*.
<!--
multi-line
comment -->
Keep snake_case_names intact.

\`\`\`sh
# not a heading
curl [x](y)
\`\`\`

### Band

Pick 5 GHz.

Troubleshooting
===============

Restart it.

Resetting
---------

Hold the button.

---

[ref]: https://example.com/ref
Done.
`;

describe("loadMarkdown", () => {
  it("builds heading paths, reads front matter and strips inline syntax", () => {
    const doc = loadMarkdown(DOC, input);
    expect(doc).toMatchObject({
      id: "guides/setup.md",
      title: "Router setup",
      url: "https://help.example.com/setup",
      product: "X2",
      language: "en",
      format: "text/markdown",
      sourceType: "manual",
      sourcePath: "guides/setup.md",
    });
    expect(doc.sections.map((s) => s.path)).toEqual([
      [],
      ["Setup"],
      ["Setup", "Wireless"],
      ["Setup", "Wireless", "Band"],
      ["Troubleshooting"],
      ["Troubleshooting", "Resetting"],
    ]);
    const text = (path: string[]): string => doc.sections.find((s) => s.path.join("/") === path.join("/"))?.text ?? "";
    expect(text([])).toBe("Intro before any heading.");
    expect(text(["Setup"])).toBe("Unpack the router and place it.");
    expect(text(["Setup", "Wireless"])).toBe(
      "Open Settings > Wireless.\nKeep snake_case_names intact.\n\n```sh\n# not a heading\ncurl [x](y)\n```",
    );
    expect(text(["Troubleshooting", "Resetting"])).toBe("Hold the button.\n\nDone.");
  });

  it("takes the first H1 as title without front matter, else the file name", () => {
    expect(loadMarkdown("Some text\n\n# Big Title\n\nBody", input).title).toBe("Big Title");
    expect(loadMarkdown("## Only H2\n\nBody", input).title).toBe("setup.md");
    expect(loadMarkdown("# A\n\nB", { ...input, title: "Override" }).title).toBe("Override");
  });

  it("normalises newlines, trailing spaces and Unicode", () => {
    const doc = loadMarkdown("# Cafe\u0301\r\n\r\nLine one   \r\nLine two", input);
    expect(doc.sections).toEqual([{ path: ["Café"], text: "Line one\nLine two" }]);
  });

  it("rejects documents with headings but no text", () => {
    expect(() => loadMarkdown("---\ntitle: x\n---\n# Heading\n## Sub\n<!-- nothing -->\n", input)).toThrow(UnsupportedDocumentError);
    expect(() => loadMarkdown("# Heading\n", input)).toThrow(/no text content/);
  });
});

describe("parseFrontMatter / stripInline", () => {
  it("parses only simple key: value lines", () => {
    expect(parseFrontMatter("---\na: 1\nnested:\n  b: 2\nc: 'q'\n---\nbody").meta).toEqual({ a: "1", c: "q" });
    expect(parseFrontMatter("no front matter").body).toBe("no front matter");
  });

  it("keeps code spans verbatim", () => {
    expect(stripInline("Run `a_b *c*` then [docs](http://x) <https://y.z>")).toBe("Run `a_b *c*` then docs https://y.z");
  });
});

describe("loadMarkdown table headers", () => {
  it("labels each value with its header once, even when the header already ends in a colon", () => {
    const doc = loadMarkdown("# Packages\n\n| Package: | Architecture： | Notes |\n| --- | --- | --- |\n| baz | all | scripts |\n", {
      fileName: "pkgs.md",
      id: "pkgs.md",
    });
    expect(doc.sections[0]?.text).toContain("Package: baz | Architecture: all | Notes: scripts");
    expect(doc.sections[0]?.text).not.toMatch(/[:：]: /u);
  });
});
