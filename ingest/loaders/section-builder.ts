import type { Section } from "../../src/domain/document.js";
import { normalizeText } from "./normalize.js";

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
    this.parts.push(part);
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
    const text = normalizeText(this.parts.join(this.joiner));
    if (text.trim().length > 0) this.sections.push({ path: this.path, text });
    this.parts = [];
  }
}
