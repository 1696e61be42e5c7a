import type { Section, TextBlock } from "../../src/domain/document.js";
import { sentenceSpans } from "../../src/text/sentences.js";
import { normalizeText } from "./normalize.js";
import { LEAD_IN } from "./lead-in.js";

// Private-use characters mark blocks inside the parts until the section text is normalised; then they are removed and
// their positions become the section's blocks (normalisation may move text, so offsets are taken only at the end).
const LEAD = "\uE000";
const GLUE = "\uE001";
const END = "\uE002";
const START: Record<TextBlock["kind"], string> = { code: "\uE010", table: "\uE011", list: "\uE012", toc: "\uE013" };
const KIND_OF = new Map(Object.entries(START).map(([kind, mark]) => [mark, kind as TextBlock["kind"]]));
const MARKS = /[\uE000-\uE002\uE010-\uE013]/g;

/**
 * Collects text parts under the current heading path. A heading of level n closes every open heading of
 * level >= n, so the path is always the chain of enclosing headings, outermost first.
 */
export class SectionBuilder {
  private readonly stack: Array<{ level: number; text: string }> = [];
  private parts: string[] = [];
  private path: string[] = [];
  private readonly sections: Section[] = [];
  private firstH1: string | undefined;

  constructor(private readonly joiner: string) {}

  heading(level: number, text: string): void {
    if (text.length === 0) return;
    this.flush();
    while (this.stack.length > 0 && (this.stack[this.stack.length - 1]?.level ?? 0) >= level) this.stack.pop();
    this.stack.push({ level, text });
    this.path = this.stack.map((h) => h.text);
    if (level === 1 && this.firstH1 === undefined) this.firstH1 = text;
  }

  add(part: string): void {
    this.parts.push(part.replace(MARKS, ""));
  }

  /**
   * Adds a code block or table kept as it is (line breaks included). When the text before it introduces it ("...:",
   * "... the following."), that sentence is joined to the block, and the chunker keeps them together.
   */
  block(kind: TextBlock["kind"], text: string): void {
    const body = text.replace(MARKS, "");
    if (body.trim().length === 0) return;
    let i = this.parts.length - 1;
    while (i >= 0 && (this.parts[i] ?? "").trim() === "") i--;
    const prev = this.parts[i];
    let glue = "";
    if (prev !== undefined && !prev.includes(END) && LEAD_IN.test(prev)) {
      const last = sentenceSpans(prev).pop();
      const at = last?.start ?? 0;
      this.parts[i] = prev.slice(0, at) + LEAD + prev.slice(at);
      this.parts.length = i + 1;
      glue = GLUE;
    }
    this.parts.push(glue + START[kind] + body + END);
  }

  /** Text of the first level-1 heading seen, a title candidate. */
  get firstHeading(): string | undefined {
    return this.firstH1;
  }

  /** Sections with text; headings without body text leave no section (their path lives on in sub-sections). */
  finish(): Section[] {
    this.flush();
    return this.sections;
  }

  private flush(): void {
    const joined = this.parts.join(this.joiner).split(this.joiner + GLUE).join("\n");
    const { text, blocks } = extractBlocks(normalizeText(joined));
    if (text.trim().length > 0) this.sections.push({ path: this.path, text, ...(blocks.length > 0 ? { blocks } : {}) });
    this.parts = [];
  }
}

/** Removes the block marks from `marked`, returning the clean text and where each block (and its lead-in) sits. */
function extractBlocks(marked: string): { text: string; blocks: TextBlock[] } {
  const blocks: TextBlock[] = [];
  let text = "";
  let lead: number | undefined;
  let open: { start: number; kind: TextBlock["kind"]; leadStart?: number } | undefined;
  let from = 0;
  for (const m of marked.matchAll(MARKS)) {
    text += marked.slice(from, m.index);
    from = m.index + 1;
    const mark = m[0];
    if (mark === LEAD) lead = text.length;
    else if (mark === END && open) {
      blocks.push({ ...open, end: text.replace(/\s+$/, "").length });
      open = undefined;
    } else if (KIND_OF.has(mark)) {
      open = { start: text.length, kind: KIND_OF.get(mark)!, ...(lead !== undefined ? { leadStart: lead } : {}) };
      lead = undefined;
    }
  }
  text += marked.slice(from);
  return { text, blocks };
}
