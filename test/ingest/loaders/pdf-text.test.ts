import { describe, expect, it } from "vitest";
import { columns, isPageNumber, joinPages, pageLines, removePageFurniture } from "../../../ingest/loaders/pdf-text.js";

describe("isPageNumber", () => {
  it.each(["12", "- 12 -", "– 7 –", "(3)", "Page 12", "Page 12 of 40", "page 3/40", "12 / 40", "iv"])("accepts %j", (line) => {
    expect(isPageNumber(line)).toBe(true);
  });
  it.each(["1. Unpack the box", "Page setup", "mix", "12 volts", "Step 3", ""])("rejects %j", (line) => {
    expect(isPageNumber(line)).toBe(false);
  });
});

describe("removePageFurniture", () => {
  it("drops headers/footers repeating on most pages (digits aside) and bare page numbers", () => {
    const bodies = [
      ["Unpack the television.", "Attach the stand."],
      ["Connect the antenna.", "Turn it on."],
      ["Pick a picture mode.", "Adjust the sound."],
      ["Clean the screen gently.", "Unplug during storms."],
    ];
    const pages = bodies.map((body, i) => [
      `Chapter 2 — Acme TV Manual rev ${i + 1}`,
      ...body,
      `© 2024 Acme Inc. — ${i + 10}`,
      i % 2 === 0 ? `- ${i + 1} -` : `Page ${i + 1} of 4`,
    ]);
    expect(removePageFurniture(pages)).toEqual(bodies);
  });

  it("keeps lines that repeat only on a few pages, and content in the middle of a page", () => {
    const pages = [
      ["Safety first", "Read all instructions.", "12", "More text."],
      ["Safety first", "Keep away from water."],
      ["Setup", "Plug it in."],
      ["Usage", "Press the button."],
      ["Care", "Wipe with a dry cloth."],
    ];
    const out = removePageFurniture(pages);
    expect(out[0]).toEqual(["Safety first", "Read all instructions.", "12", "More text."]);
    expect(out[1]).toEqual(["Safety first", "Keep away from water."]);
  });

  it("leaves a single page alone except for bare page numbers", () => {
    expect(removePageFurniture([["Title", "Text.", "1"]])).toEqual([["Title", "Text."]]);
  });
});

describe("pageLines", () => {
  it("collapses whitespace, expands ligatures and NFC-normalises", () => {
    expect(pageLines("  The ﬁrst  conﬁg\tline  \r\nCafe\u0301")).toEqual(["The first config line", "Café"]);
  });
});

describe("joinPages", () => {
  const wide = "x".repeat(40);
  it("repairs hyphenation but keeps real hyphens before capitals", () => {
    const { text } = joinPages([[`${wide} the installa-`, `tion ends here and goes on ${wide}`, `${wide} Wi-`, `Fi works ${wide} too`]], [1]);
    expect(text).toBe(`${wide} the installation ends here and goes on ${wide} ${wide} Wi-Fi works ${wide} too`);
  });

  it("keeps the hyphen of a path broken at the line end", () => {
    const { text } = joinPages([[`${wide} see /usr/share/doc/libwidget-`, `doc/html/ for more ${wide}`]], [1]);
    expect(text).toBe(`${wide} see /usr/share/doc/libwidget-doc/html/ for more ${wide}`);
  });

  it("keeps list items on their own lines and breaks paragraphs at short sentence ends", () => {
    const { text } = joinPages(
      [[`Intro line that is long enough to be typical ${wide}`, "and ends here.", "Next paragraph starts.", "1. First step", "2. Second step that", "wraps onto a new line", "- a bullet"]],
      [1],
    );
    expect(text).toBe(
      `Intro line that is long enough to be typical ${wide} and ends here.\n\nNext paragraph starts.\n\n1. First step\n2. Second step that wraps onto a new line\n- a bullet`,
    );
  });

  it("continues paragraphs across pages and records every page start, including empty pages", () => {
    const { text, pageStarts } = joinPages([[`Heading`, `A sentence that runs over the ${wide}`], [], [`end of the page and fini-`], [`shes here.`]], [1, 2, 3, 4]);
    expect(text).toBe(`Heading\n\nA sentence that runs over the ${wide} end of the page and finishes here.`);
    const p3 = text.indexOf("end of the page");
    expect(pageStarts).toEqual([
      { offset: 0, page: 1 },
      { offset: p3, page: 2 },
      { offset: p3, page: 3 },
      { offset: text.indexOf("shes here."), page: 4 },
    ]);
  });

  it("measures lines in columns, so a full line of Chinese wraps like a full line of English (no paragraph, no space)", () => {
    const english = `The default setup keeps clocks in step ${"and more words here ".repeat(3)}`.trim();
    const han = "服务器设置".repeat(10); // 50 characters, 100 columns: as wide as the English lines
    const pages = [[english, english, `${han}为运行最`, "新的浏览器建议至少两千兆内存。", english, english]];
    const { text } = joinPages(pages, [1]);
    expect(text).toContain(`${han}为运行最新的浏览器建议至少两千兆内存。`);
    expect(text).not.toContain(`${english}\n\n${han}`);
  });

  it("still ends a paragraph at a short Chinese line ending a sentence", () => {
    const han = "服务器设置".repeat(10);
    const { text } = joinPages([[`${han}同步`, "时钟。", "下一段从这里开始。"]], [1]);
    expect(text).toBe(`${han}同步时钟。\n\n下一段从这里开始。`);
  });
});

describe("columns", () => {
  it("counts CJK and full-width characters two columns wide", () => {
    expect(columns("abc")).toBe(3);
    expect(columns("网卡（NIC）")).toBe(11);
  });
});
