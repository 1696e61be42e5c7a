import type { Section } from "../src/domain/document.js";

/** Redacts one text: the replaced text and how many replacements were made. */
export type SectionTextRedactor = (text: string) => { text: string; total: number };

/**
 * Redacts a section's text and moves its offsets (page starts, blocks and their lead-ins) to where their text is
 * after the replacements: a placeholder such as `[EMAIL]` is rarely as long as the address it replaces, so offsets
 * into the original text would otherwise cut chunks inside words ("ult is practically…") and misplace pages and code
 * blocks after every redaction in the section.
 *
 * The text is exactly the redaction of the whole section. Offsets are exact when redacting the pieces between them
 * gives that same text (the usual case); when a match spans an offset, or a detector's verdict depends on context
 * the piece lacks, an offset becomes the length of its redacted prefix (at most a placeholder away from exact).
 */
export function redactSection(section: Section, redact: SectionTextRedactor): { section: Section; total: number } {
  const whole = redact(section.text);
  if (whole.total === 0 && whole.text === section.text) return { section, total: 0 };
  const offsets = sectionOffsets(section);
  if (offsets.length === 0) return { section: { ...section, text: whole.text }, total: whole.total };
  const moved = movedOffsets(section.text, whole.text, offsets, redact);
  const at = (offset: number): number => moved.get(offset) ?? offset;
  const out: Section = { ...section, text: whole.text };
  if (section.pageStarts) out.pageStarts = section.pageStarts.map((p) => ({ ...p, offset: at(p.offset) }));
  if (section.blocks) {
    out.blocks = section.blocks.map((b) => ({
      ...b,
      start: at(b.start),
      end: at(b.end),
      ...(b.leadStart !== undefined ? { leadStart: at(b.leadStart) } : {}),
    }));
  }
  return { section: out, total: whole.total };
}

/** Every offset the section carries inside its text, sorted, without 0 and the end (they never move). */
function sectionOffsets(section: Section): number[] {
  const all = new Set<number>();
  for (const p of section.pageStarts ?? []) all.add(p.offset);
  for (const b of section.blocks ?? []) {
    all.add(b.start);
    all.add(b.end);
    if (b.leadStart !== undefined) all.add(b.leadStart);
  }
  const len = section.text.length;
  return [...all].filter((o) => o > 0 && o < len).sort((a, b) => a - b);
}

/** Where each offset of `text` lands in `redacted` (see {@link redactSection}). */
function movedOffsets(text: string, redacted: string, offsets: readonly number[], redact: SectionTextRedactor): Map<number, number> {
  const moved = new Map<number, number>([[text.length, redacted.length]]);
  let joined = "";
  let from = 0;
  for (const offset of offsets) {
    joined += redact(text.slice(from, offset)).text;
    moved.set(offset, joined.length);
    from = offset;
  }
  joined += redact(text.slice(from)).text;
  if (joined === redacted) return moved;
  for (const offset of offsets) moved.set(offset, Math.min(redacted.length, redact(text.slice(0, offset)).text.length));
  return moved;
}
