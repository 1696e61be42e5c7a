import type { TextSpan } from "./sentences.js";
import { CJK_CHARS } from "./cjk.js";

/** Repairs of ICU's sentence segments that need no context beyond a segment and its neighbour (see sentences.ts). */

/** "…settings: 1. " — a numbered marker ICU left at the end of the previous sentence. */
const TRAILING_MARKER_RE = /[:.!?;：。](\s+)\(?\d{1,3}[.)]\s*$/u;
const CJK_EXTRA_END_RE = new RegExp(`(?:；|(?<=[${CJK_CHARS}])(?:…+|⋯+))[”’」』）)]*`, "gu");
const WHITESPACE_RE = /\s/;

/** Cuts ICU segments after "；" and CJK ellipses, which ICU does not treat as sentence ends. */
export function splitCjkExtras(text: string, segs: TextSpan[]): TextSpan[] {
  const out: TextSpan[] = [];
  for (const seg of segs) {
    let start = seg.start;
    const part = text.slice(seg.start, seg.end);
    if (part.includes("；") || part.includes("…") || part.includes("⋯")) {
      for (const m of part.matchAll(CJK_EXTRA_END_RE)) {
        const cut = seg.start + m.index + m[0].length;
        if (text.slice(cut, seg.end).trim() !== "") {
          out.push({ start, end: cut });
          start = cut;
        }
      }
    }
    out.push({ start, end: seg.end });
  }
  return out;
}

/** Moves a numbered marker stranded at the end of a segment ("Steps: 1. ") to the start of the next one. */
export function detachTrailingMarkers(text: string, segs: TextSpan[]): TextSpan[] {
  const out: TextSpan[] = [];
  segs.forEach((seg, i) => {
    const m = i < segs.length - 1 ? TRAILING_MARKER_RE.exec(text.slice(seg.start, seg.end)) : null;
    if (m) {
      const cut = seg.start + m.index + 1;
      out.push({ start: seg.start, end: cut }, { start: cut, end: seg.end });
    } else {
      out.push(seg);
    }
  });
  return out;
}

/** Whether the last character of `text` before trailing whitespace (as `\s` reads it) is ".". */
export function endsWithFullStop(text: string): boolean {
  let e = text.length;
  while (e > 0 && WHITESPACE_RE.test(text[e - 1]!)) e--;
  return text[e - 1] === ".";
}
